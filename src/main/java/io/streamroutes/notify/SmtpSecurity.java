package io.streamroutes.notify;

import java.util.Locale;
import java.util.Properties;

import javax.net.ssl.SSLSocketFactory;

/**
 * How the connection to the SMTP relay is protected ({@code notify.smtp.security}): {@code starttls} (plain connect,
 * then the STARTTLS upgrade is required before anything else, credentials included, is sent), {@code tls} (TLS from
 * the first byte, usually port 465) or {@code none} (no TLS, for a relay on the same host or network). With TLS the
 * server's certificate is checked against {@code sslSocketFactory}'s trust and its host name.
 */
public enum SmtpSecurity {
    STARTTLS,
    TLS,
    NONE;

    public static SmtpSecurity of(String setting) {
        try {
            return valueOf(setting.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("notify.smtp.security must be starttls, tls or none, not '" + setting + "'");
        }
    }

    /** The Jakarta Mail protocol name: {@code smtps} for implicit TLS, else {@code smtp}. */
    public String protocol() {
        return this == TLS ? "smtps" : "smtp";
    }

    /** Session properties for this mode; {@code sslSocketFactory} is used for TLS and STARTTLS. */
    public Properties sessionProperties(String host, int port, int timeoutMs, boolean auth, SSLSocketFactory sslSocketFactory) {
        String p = "mail." + protocol() + ".";
        Properties props = new Properties();
        props.put("mail.transport.protocol", protocol());
        props.put(p + "host", host);
        props.put(p + "port", Integer.toString(port));
        props.put(p + "connectiontimeout", Integer.toString(timeoutMs));
        props.put(p + "timeout", Integer.toString(timeoutMs));
        props.put(p + "auth", Boolean.toString(auth));
        if (this != NONE) {
            props.put(p + "ssl.socketFactory", sslSocketFactory);
            props.put(p + "ssl.checkserveridentity", "true");
        }
        if (this == TLS) {
            props.put(p + "ssl.enable", "true");
        } else if (this == STARTTLS) {
            props.put(p + "starttls.enable", "true");
            // a relay that does not offer STARTTLS is an error, never a fallback to plain text
            props.put(p + "starttls.required", "true");
        }
        return props;
    }
}
