package io.streamroutes.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.streamroutes.embedded.EmbeddedRedis;
import io.streamroutes.testsupport.EmbeddedRedisExtension;
import io.streamroutes.testsupport.PrivateCa;
import io.streamroutes.testsupport.StartTlsFront;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * routes/notifications.yaml against TLS relays with AUTH: GreenMail SMTPS (implicit TLS) and GreenMail behind a
 * STARTTLS front, both with a certificate from a private CA that only camel.ssl.* trusts.
 */
class NotificationsRelayTest {

    @RegisterExtension
    static final EmbeddedRedisExtension redis = new EmbeddedRedisExtension();

    @RegisterExtension
    final NotificationsFixture notify = new NotificationsFixture(redis);

    static PrivateCa ca;
    StartTlsFront front;

    @BeforeAll
    static void createCa() throws Exception {
        ca = PrivateCa.forGreenMail();
    }

    @AfterEach
    void stopFront() throws Exception {
        notify.stopApp(); // before the front
        if (front != null) {
            front.close();
        }
    }

    /** GreenMail with the user the route logs in as, over this protocol. */
    GreenMail startGreenMail(String protocol) {
        GreenMail greenMail = notify.startGreenMail(new ServerSetup(EmbeddedRedis.freePort(), "127.0.0.1", protocol));
        greenMail.setUser("mailer@localhost", "mailer", "s3cret");
        return greenMail;
    }

    /** The route logging in as mailer over {@code security} to {@code port}, trusting the private CA or not. */
    void startApp(String security, int port, boolean trustPrivateCa) throws Exception {
        Map<String, String> props = new HashMap<>();
        props.put("notify.smtp.port", Integer.toString(port));
        props.put("notify.smtp.security", security);
        props.put("notify.smtp.username", "mailer");
        props.put("notify.smtp.password", "s3cret");
        props.put("notify.smtp.timeout-ms", "3000");
        if (trustPrivateCa) {
            props.put("camel.ssl.enabled", "true");
            props.put("camel.ssl.trust-store", "file:" + ca.trustStore());
            props.put("camel.ssl.trust-store-password", PrivateCa.PASSWORD);
        }
        notify.start(props);
    }

    @Test
    void implicitTlsWithAuthAgainstAPrivateCaTrustedThroughCamelSsl() throws Exception {
        GreenMail greenMail = startGreenMail(ServerSetup.PROTOCOL_SMTPS);
        notify.jedis().hset("user:123", Map.of("email", "alice@example.com", "locale", "de-AT"));
        startApp("tls", greenMail.getSmtps().getPort(), true);

        String id = notify.xadd("user_id", "123", "type", "email", "template", "welcome");

        notify.awaitMails(1);
        notify.awaitAllAcked(id);
        MimeMessage mail = greenMail.getReceivedMessages()[0];
        assertEquals("Willkommen bei Stream Routes, Benutzer 123!", mail.getSubject());
        assertEquals("de", mail.getHeader("Content-Language", null));
        assertTrue(MailParts.text(mail).contains("Ihr Konto 123 ist bereit"), MailParts.text(mail));
        assertTrue(MailParts.html(mail).contains("<strong>123</strong>"), MailParts.html(mail));
        assertEquals(2, MailParts.alternative(mail).getCount());
        assertEquals("<" + id + ".notify.events@localhost>", mail.getMessageID());
    }

    @Test
    void startTlsWithAuthSendsNoCredentialsBeforeTheUpgrade() throws Exception {
        GreenMail greenMail = startGreenMail(ServerSetup.PROTOCOL_SMTP);
        front = new StartTlsFront(greenMail.getSmtp().getPort(), ca.serverContext());
        notify.jedis().hset("user:5", "email", "bob@example.com");
        startApp("starttls", front.port(), true);

        String id = notify.xadd("user_id", "5", "type", "email", "template", "promo");

        notify.awaitMails(1);
        notify.awaitAllAcked(id);
        assertTrue(front.cleartextCommands().stream().anyMatch(c -> c.equalsIgnoreCase("STARTTLS")), front.cleartextCommands().toString());
        assertFalse(front.cleartextCommands().stream().anyMatch(c -> c.toUpperCase().startsWith("AUTH")
                                                                    || c.toUpperCase().startsWith("MAIL")), front.cleartextCommands().toString());
        assertEquals("A special offer for you, user 5", greenMail.getReceivedMessages()[0].getSubject());
    }

    @Test
    void aRelayWithoutStartTlsIsAFailureNotAFallbackToCleartext() throws Exception {
        GreenMail greenMail = startGreenMail(ServerSetup.PROTOCOL_SMTP);
        startApp("starttls", greenMail.getSmtp().getPort(), true);

        notify.xadd("user_id", "1", "type", "email", "template", "welcome", "email", "carol@example.com");

        notify.awaitRetriedNotDeadLettered();
        assertEquals(0, greenMail.getReceivedMessages().length);
    }

    @Test
    void aCertificateTheTrustStoreDoesNotTrustIsRefusedAndTheEntryStaysPending() throws Exception {
        GreenMail greenMail = startGreenMail(ServerSetup.PROTOCOL_SMTPS);
        startApp("tls", greenMail.getSmtps().getPort(), false); // JVM trust store: the private CA is unknown

        notify.xadd("user_id", "1", "type", "email", "template", "welcome", "email", "carol@example.com");

        notify.awaitRetriedNotDeadLettered();
        assertEquals(0, greenMail.getReceivedMessages().length);
    }
}
