package io.streamroutes.notify;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.streamroutes.embedded.EmbeddedRedis;
import io.streamroutes.testsupport.Await;
import io.streamroutes.testsupport.EmbeddedRedisExtension;
import io.streamroutes.testsupport.PrivateCa;
import io.streamroutes.testsupport.ScenarioApp;
import io.streamroutes.testsupport.StartTlsFront;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.params.XPendingParams;
import redis.clients.jedis.resps.StreamPendingEntry;

/**
 * routes/notifications.yaml against TLS relays with AUTH: GreenMail SMTPS (implicit TLS) and GreenMail behind a
 * STARTTLS front, both with a certificate from a private CA that only camel.ssl.* trusts.
 */
class NotificationsRelayTest {

    static final String EVENTS = "notify:events";
    static final String GROUP = "notify-workers";

    @RegisterExtension
    static final EmbeddedRedisExtension redis = new EmbeddedRedisExtension();

    static PrivateCa ca;
    Jedis jedis;
    GreenMail greenMail;
    StartTlsFront front;
    ScenarioApp app;

    @BeforeAll
    static void createCa() throws Exception {
        ca = PrivateCa.create();
        ca.useForGreenMail();
    }

    @BeforeEach
    void connect() {
        jedis = new Jedis(redis.host(), redis.port());
        jedis.flushAll();
    }

    @AfterEach
    void stopAll() throws Exception {
        if (app != null) {
            app.close();
        }
        if (front != null) {
            front.close();
        }
        if (greenMail != null) {
            greenMail.stop();
        }
        jedis.close();
    }

    void startGreenMail(String protocol) {
        ServerSetup setup = new ServerSetup(EmbeddedRedis.freePort(), "127.0.0.1", protocol);
        setup.setServerStartupTimeout(30000); // the first SMTPS start loads the key store
        greenMail = new GreenMail(setup);
        greenMail.start();
        greenMail.setUser("mailer@localhost", "mailer", "s3cret");
    }

    void startApp(String security, int port, boolean trustPrivateCa) throws Exception {
        Map<String, String> props = new HashMap<>();
        props.put("notify.smtp.host", "127.0.0.1");
        props.put("notify.smtp.port", Integer.toString(port));
        props.put("notify.smtp.security", security);
        props.put("notify.smtp.username", "mailer");
        props.put("notify.smtp.password", "s3cret");
        props.put("notify.smtp.timeout-ms", "3000");
        props.put("notify.block-ms", "200");
        props.put("notify.min-idle-time-ms", "500");
        props.put("notify.claim-interval-ms", "200");
        if (trustPrivateCa) {
            props.put("camel.ssl.enabled", "true");
            props.put("camel.ssl.trust-store", "file:" + ca.trustStore());
            props.put("camel.ssl.trust-store-password", PrivateCa.PASSWORD);
        }
        app = ScenarioApp.start(redis.host(), redis.port(), props, "routes/notifications.yaml");
    }

    String xadd(String... fieldsAndValues) {
        Map<String, String> map = new java.util.LinkedHashMap<>();
        for (int i = 0; i < fieldsAndValues.length; i += 2) {
            map.put(fieldsAndValues[i], fieldsAndValues[i + 1]);
        }
        return jedis.xadd(EVENTS, StreamEntryID.NEW_ENTRY, map).toString();
    }

    void awaitRetriedNotDeadLettered() {
        // GreenMail's handler threads throw on the handshakes the client refuses: not this test's failure
        await("two failed deliveries").dontCatchUncaughtExceptions().atMost(Duration.ofSeconds(20)).until(() -> {
            List<StreamPendingEntry> p = jedis.xpending(EVENTS, GROUP, XPendingParams.xPendingParams().count(10));
            return p.size() == 1 && p.get(0).getDeliveredTimes() >= 2;
        });
        assertEquals(0, jedis.xlen("notify:dead-letter"));
    }

    @Test
    void implicitTlsWithAuthAgainstAPrivateCaTrustedThroughCamelSsl() throws Exception {
        startGreenMail(ServerSetup.PROTOCOL_SMTPS);
        jedis.hset("user:123", Map.of("email", "alice@example.com", "locale", "de-AT"));
        startApp("tls", greenMail.getSmtps().getPort(), true);

        String id = xadd("user_id", "123", "type", "email", "template", "welcome");

        assertTrue(greenMail.waitForIncomingEmail(15000, 1), "mail received over SMTPS");
        Await.allAcked(jedis, EVENTS, GROUP, id, Duration.ofSeconds(10));
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
        startGreenMail(ServerSetup.PROTOCOL_SMTP);
        front = new StartTlsFront(greenMail.getSmtp().getPort(), ca.serverContext());
        jedis.hset("user:5", "email", "bob@example.com");
        startApp("starttls", front.port(), true);

        String id = xadd("user_id", "5", "type", "email", "template", "promo");

        assertTrue(greenMail.waitForIncomingEmail(15000, 1), "mail received over STARTTLS");
        Await.allAcked(jedis, EVENTS, GROUP, id, Duration.ofSeconds(10));
        assertTrue(front.cleartextCommands().stream().anyMatch(c -> c.equalsIgnoreCase("STARTTLS")), front.cleartextCommands().toString());
        assertFalse(front.cleartextCommands().stream().anyMatch(c -> c.toUpperCase().startsWith("AUTH")
                                                                    || c.toUpperCase().startsWith("MAIL")), front.cleartextCommands().toString());
        assertEquals("A special offer for you, user 5", greenMail.getReceivedMessages()[0].getSubject());
    }

    @Test
    void aRelayWithoutStartTlsIsAFailureNotAFallbackToCleartext() throws Exception {
        startGreenMail(ServerSetup.PROTOCOL_SMTP);
        startApp("starttls", greenMail.getSmtp().getPort(), true);

        xadd("user_id", "1", "type", "email", "template", "welcome", "email", "carol@example.com");

        awaitRetriedNotDeadLettered();
        assertEquals(0, greenMail.getReceivedMessages().length);
    }

    @Test
    void aCertificateTheTrustStoreDoesNotTrustIsRefusedAndTheEntryStaysPending() throws Exception {
        startGreenMail(ServerSetup.PROTOCOL_SMTPS);
        startApp("tls", greenMail.getSmtps().getPort(), false); // JVM trust store: the private CA is unknown

        xadd("user_id", "1", "type", "email", "template", "welcome", "email", "carol@example.com");

        awaitRetriedNotDeadLettered();
        assertEquals(0, greenMail.getReceivedMessages().length);
    }
}
