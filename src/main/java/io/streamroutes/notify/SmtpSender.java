package io.streamroutes.notify;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;

import io.streamroutes.component.redisstreams.RedisStreamsConstants;
import jakarta.mail.Address;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.Exchange;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.camel.util.TimeUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the notification mail built by the route (variables {@code recipient}, {@code subject}, {@code text},
 * {@code html}, {@code locale}) over {@link SmtpConnections}. TLS trusts Camel's global SSL settings ({@code camel.ssl.*})
 * when they are set, else the JVM's trust store. With {@link #setSent} set, an accepted mail is recorded on the sending
 * thread right after the server's "250". Bean {@code notifySmtp} in routes/notifications.yaml.
 */
public class SmtpSender implements CamelContextAware {

    private static final Logger LOG = LoggerFactory.getLogger(SmtpSender.class);
    private static final Pattern URL_FIELD = Pattern.compile("\\{([A-Za-z0-9_-]+)}");

    private CamelContext camelContext;
    private String host = "localhost";
    private int port = 587;
    private String security = "starttls";
    private String username;
    private String password;
    private int timeoutMs = 10000;
    private String from = "noreply@localhost";
    private int connections = 10;
    private int maxMailsPerConnection = 100;
    private String idleTimeout = "30s";
    private String listUnsubscribeUrl;
    private String listUnsubscribeTemplates = "promo";
    private SentNotifications sent;

    private volatile Session session;
    private volatile SmtpConnections pool;

    public void send(Exchange exchange) throws Exception {
        @SuppressWarnings("unchecked")
        Map<String, String> fields = exchange.getMessage().getBody(Map.class);
        String entryId = exchange.getMessage().getHeader(RedisStreamsConstants.ENTRY_ID, String.class);
        String stream = exchange.getMessage().getHeader(RedisStreamsConstants.STREAM_KEY, "notify:events", String.class);
        OutgoingMail mail = new OutgoingMail(from, exchange.getVariable("recipient", String.class),
                exchange.getVariable("subject", String.class), exchange.getVariable("text", String.class),
                exchange.getVariable("html", String.class), exchange.getVariable("locale", String.class),
                messageId(entryId, stream, from), unsubscribeUrl(fields));
        SentNotifications record = sent;
        send(mail, record == null ? () -> { } : () -> record.record(entryId));
    }

    public void send(OutgoingMail mail) throws Exception {
        send(mail, () -> { });
    }

    /** Sends the mail and runs {@code accepted} on this thread right after the server's "250" (see {@link SmtpConnections}). */
    public void send(OutgoingMail mail, Runnable accepted) throws Exception {
        SmtpConnections connections = connections();
        MimeMessage message = mail.toMimeMessage(session);
        connections.send(message, new Address[] { new InternetAddress(mail.to(), true) }, accepted);
    }

    /**
     * {@code <entry-id.stream@sender-domain>}: the same for every delivery of an entry, so a relay or mailbox that
     * removes duplicates by Message-ID sees a repeated send as one mail.
     */
    static String messageId(String entryId, String stream, String from) {
        String domain = from.substring(from.lastIndexOf('@') + 1);
        String id = entryId == null ? java.util.UUID.randomUUID().toString() : entryId;
        return "<" + id + "." + stream.replaceAll("[^A-Za-z0-9-]", ".") + "@" + domain + ">";
    }

    /** The unsubscribe link for templates in {@code listUnsubscribeTemplates}: {@code {field}} = URL-encoded field. */
    String unsubscribeUrl(Map<String, String> fields) {
        if (listUnsubscribeUrl == null || listUnsubscribeUrl.isBlank()
            || !Set.of(listUnsubscribeTemplates.split("\\s*,\\s*")).contains(fields.get("template"))) {
            return null;
        }
        Matcher m = URL_FIELD.matcher(listUnsubscribeUrl.strip());
        StringBuilder url = new StringBuilder();
        while (m.find()) {
            String value = fields.getOrDefault(m.group(1), "");
            m.appendReplacement(url, Matcher.quoteReplacement(URLEncoder.encode(value, StandardCharsets.UTF_8)));
        }
        m.appendTail(url);
        return url.toString();
    }

    private SmtpConnections connections() throws Exception {
        SmtpConnections current = pool;
        if (current != null) {
            return current;
        }
        synchronized (this) {
            if (pool == null) {
                SmtpSecurity mode = SmtpSecurity.of(security);
                String user = username == null || username.isEmpty() ? null : username;
                SmtpRelay relay = new SmtpRelay(host, port, user, user == null ? null : password, timeoutMs);
                if (mode == SmtpSecurity.NONE && relay.authenticates()) {
                    LOG.warn("notify.smtp.security=none: the SMTP password for {} is sent without TLS", relay);
                }
                session = Session.getInstance(mode.sessionProperties(host, port, timeoutMs, relay.authenticates(), sslSocketFactory()));
                pool = new SmtpConnections(session, relay, connections, maxMailsPerConnection,
                        Duration.ofMillis(TimeUtils.toMilliSeconds(idleTimeout)));
                LOG.info("Notification mails go to {} ({}), up to {} connections, each closed after {} mails", relay,
                        mode.name().toLowerCase(java.util.Locale.ROOT), connections, maxMailsPerConnection);
            }
            return pool;
        }
    }

    private SSLSocketFactory sslSocketFactory() throws Exception {
        SSLContextParameters global = camelContext == null ? null : camelContext.getSSLContextParameters();
        return global != null ? global.createSSLContext(camelContext).getSocketFactory() : SSLContext.getDefault().getSocketFactory();
    }

    /** Connections open now; -1 before the first mail. */
    public int openConnections() {
        SmtpConnections current = pool;
        return current == null ? -1 : current.open();
    }

    public long connectionsOpened() {
        SmtpConnections current = pool;
        return current == null ? 0 : current.opened();
    }

    public synchronized void close() {
        if (pool != null) {
            pool.close();
            pool = null;
        }
    }

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
    }

    public void setHost(String host) {
        this.host = host;
    }

    public void setPort(int port) {
        this.port = port;
    }

    public void setSecurity(String security) {
        SmtpSecurity.of(security); // fail at startup, not at the first mail
        this.security = security;
    }

    public void setUsername(String username) {
        this.username = username;
    }

    public void setPassword(String password) {
        this.password = password;
    }

    public void setTimeoutMs(int timeoutMs) {
        this.timeoutMs = timeoutMs;
    }

    public void setFrom(String from) {
        this.from = from;
    }

    public void setConnections(int connections) {
        this.connections = connections;
    }

    public void setMaxMailsPerConnection(int maxMailsPerConnection) {
        this.maxMailsPerConnection = maxMailsPerConnection;
    }

    public void setIdleTimeout(String idleTimeout) {
        this.idleTimeout = idleTimeout;
    }

    public void setListUnsubscribeUrl(String listUnsubscribeUrl) {
        this.listUnsubscribeUrl = listUnsubscribeUrl;
    }

    /** Where an accepted mail is recorded ({@code notify:sent:<entry id>}), right after the server's "250". */
    public void setSent(SentNotifications sent) {
        this.sent = sent;
    }

    public void setListUnsubscribeTemplates(String listUnsubscribeTemplates) {
        this.listUnsubscribeTemplates = listUnsubscribeTemplates;
    }
}
