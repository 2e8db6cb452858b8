package io.streamroutes.notify;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.streamroutes.embedded.EmbeddedRedis;
import io.streamroutes.testsupport.Await;
import io.streamroutes.testsupport.ScenarioApp;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import org.apache.camel.ServiceStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import io.streamroutes.testsupport.EmbeddedRedisExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.params.XPendingParams;
import redis.clients.jedis.resps.StreamEntry;
import redis.clients.jedis.resps.StreamPendingEntry;

/**
 * routes/notifications.yaml end to end: the real application against a real Redis, GreenMail (SMTP) and WireMock
 * (push gateway).
 */
class NotificationsScenarioTest {

    static final String EVENTS = "notify:events";
    static final String DEAD = "notify:dead-letter";
    static final String GROUP = "notify-workers";

    @RegisterExtension
    static final EmbeddedRedisExtension redis = new EmbeddedRedisExtension();

    Jedis jedis;
    GreenMail greenMail;
    int smtpPort;
    WireMockServer gateway;
    ScenarioApp app;

    @BeforeEach
    void startServers() {
        jedis = new Jedis(redis.host(), redis.port());
        jedis.flushAll();
        smtpPort = EmbeddedRedis.freePort();
        greenMail = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        greenMail.start();
        gateway = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        gateway.start();
    }

    @AfterEach
    void stopAll() {
        if (app != null) {
            app.close();
        }
        greenMail.stop();
        gateway.stop();
        jedis.close();
    }

    void startApp(Map<String, String> extra) throws Exception {
        Map<String, String> props = new HashMap<>();
        props.put("notify.smtp.host", "127.0.0.1");
        props.put("notify.smtp.port", Integer.toString(smtpPort));
        props.put("notify.smtp.security", "none");
        props.put("notify.push.url", "http://127.0.0.1:" + gateway.port() + "/push");
        props.put("notify.block-ms", "200");
        props.put("notify.min-idle-time-ms", "500");
        props.put("notify.claim-interval-ms", "200");
        props.putAll(extra);
        props.values().removeIf(String::isEmpty); // "" = leave the setting out (application.properties has no default)
        app = ScenarioApp.start(redis.host(), redis.port(), props, "routes/notifications.yaml");
    }

    String xadd(String... fieldsAndValues) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < fieldsAndValues.length; i += 2) {
            map.put(fieldsAndValues[i], fieldsAndValues[i + 1]);
        }
        return jedis.xadd(EVENTS, StreamEntryID.NEW_ENTRY, map).toString();
    }

    long pending() {
        return jedis.xpending(EVENTS, GROUP).getTotal();
    }

    List<StreamEntry> deadLetters() {
        return jedis.xrange(DEAD, "-", "+");
    }

    /** All acked: the group has read the entries (last-delivered id) and nothing is pending. */
    void awaitAllAcked(String lastId) {
        io.streamroutes.testsupport.Await.allAcked(jedis, EVENTS, GROUP, lastId, Duration.ofSeconds(10));
    }

    static String raw(MimeMessage message) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        message.writeTo(out);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void emailGoesToTheAddressInTheUserHashWithTheRenderedTemplate() throws Exception {
        jedis.hset("user:123", "email", "alice@example.com");
        startApp(Map.of());

        String id = xadd("user_id", "123", "type", "email", "template", "welcome");

        assertTrue(greenMail.waitForIncomingEmail(10000, 1), "mail received");
        awaitAllAcked(id);
        MimeMessage mail = greenMail.getReceivedMessages()[0];
        assertEquals("Welcome to Stream Routes, user 123!", mail.getSubject());
        assertEquals("alice@example.com", mail.getRecipients(Message.RecipientType.TO)[0].toString());
        assertEquals("noreply@localhost", mail.getFrom()[0].toString());
        assertTrue(MailParts.text(mail).contains("your account 123 is ready"), MailParts.text(mail));
        assertEquals(0, deadLetters().size());
    }

    @Test
    void emailFieldOfTheEntryWinsOverTheUserHashAndTemplatesComeFromTheConfiguredDirectory(@TempDir Path templates)
            throws Exception {
        jedis.hset("user:7", "email", "alice@example.com");
        Path receipt = Files.createDirectories(templates.resolve("receipt/en"));
        Files.writeString(receipt.resolve("subject.ftl"), "Receipt for order ${order_id}\n");
        Files.writeString(receipt.resolve("text.ftl"), "Thanks ${user_id}, order ${order_id} is paid. ${missing!}.");
        Files.writeString(receipt.resolve("html.ftlh"), "<p>Thanks ${user_id}</p>");
        startApp(Map.of("notify.templates.dir", templates.toString(), "notify.mail.from", "shop@example.org"));

        String id = xadd("user_id", "7", "type", "email", "template", "receipt", "email", "bob@example.com", "order_id", "1001");

        assertTrue(greenMail.waitForIncomingEmail(10000, 1), "mail received");
        awaitAllAcked(id);
        MimeMessage mail = greenMail.getReceivedMessages()[0];
        assertEquals("bob@example.com", mail.getRecipients(Message.RecipientType.TO)[0].toString());
        assertEquals("shop@example.org", mail.getFrom()[0].toString());
        assertEquals("Receipt for order 1001", mail.getSubject());
        assertEquals("Thanks 7, order 1001 is paid. .", MailParts.text(mail).strip());
    }

    @Test
    void smtpLoginUsesTheConfiguredCredentials() throws Exception {
        greenMail.setUser("mailer@localhost", "mailer", "s3cret");
        startApp(Map.of("notify.smtp.username", "mailer", "notify.smtp.password", "s3cret"));

        String id = xadd("user_id", "1", "type", "email", "template", "welcome", "email", "carol@example.com");

        assertTrue(greenMail.waitForIncomingEmail(10000, 1), "mail received");
        awaitAllAcked(id);
    }

    @Test
    void smtpDownLeavesTheEntryPendingAndItIsDeliveredOnceTheServerIsBack() throws Exception {
        greenMail.stop();
        jedis.hset("user:123", "email", "alice@example.com");
        startApp(Map.of());

        String id = xadd("user_id", "123", "type", "email", "template", "welcome");

        // first delivery plus at least one XAUTOCLAIM retry failed, and the entry is still pending, not dead
        await("two failed deliveries").atMost(Duration.ofSeconds(10)).until(() -> {
            List<StreamPendingEntry> p = jedis.xpending(EVENTS, GROUP, XPendingParams.xPendingParams().count(10));
            return p.size() == 1 && p.get(0).getDeliveredTimes() >= 2;
        });
        assertEquals(0, deadLetters().size());
        assertEquals(1, pending());

        greenMail = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        greenMail.start();
        assertTrue(greenMail.waitForIncomingEmail(10000, 1), "mail delivered after SMTP came back");
        awaitAllAcked(id);
        assertEquals(0, deadLetters().size());
    }

    @Test
    void pushPostsJsonToTheGateway() throws Exception {
        gateway.stubFor(post("/push").willReturn(aResponse().withStatus(202)));
        startApp(Map.of());

        String id = xadd("user_id", "123", "type", "push", "template", "promo");

        awaitAllAcked(id);
        gateway.verify(1, postRequestedFor(urlEqualTo("/push"))
                .withHeader("Content-Type", equalTo("application/json"))
                .withRequestBody(equalToJson("{\"user_id\":\"123\",\"template\":\"promo\"}")));
        assertEquals(0, deadLetters().size());
    }

    @Test
    void pushGatewayErrorIsRetriedUntilAccepted() throws Exception {
        gateway.stubFor(post("/push").inScenario("flaky").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(500).withBody("try later")).willSetStateTo("up"));
        gateway.stubFor(post("/push").inScenario("flaky").whenScenarioStateIs("up")
                .willReturn(aResponse().withStatus(200)));
        startApp(Map.of());

        String id = xadd("user_id", "123", "type", "push", "template", "promo");

        awaitAllAcked(id);
        gateway.verify(2, postRequestedFor(urlEqualTo("/push")));
        assertEquals(0, deadLetters().size());
    }

    @Test
    void pushGatewayLimitingUsIsRetriedAfterRetryAfterAndHoldsBackOtherNotifications() throws Exception {
        gateway.stubFor(post("/push").inScenario("limited").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1")).willSetStateTo("ok"));
        gateway.stubFor(post("/push").inScenario("limited").whenScenarioStateIs("ok")
                .willReturn(aResponse().withStatus(200)));
        startApp(Map.of("notify.max-deliveries", "1"));

        String push = xadd("user_id", "123", "type", "push", "template", "promo");
        await("first push call").atMost(Duration.ofSeconds(10))
                .until(() -> gateway.findAll(postRequestedFor(urlEqualTo("/push"))).size() == 1);
        long limitedAt = gateway.findAll(postRequestedFor(urlEqualTo("/push"))).get(0).getLoggedDate().getTime();
        String mail = xadd("user_id", "123", "type", "email", "template", "welcome", "email", "user123@example.com");
        awaitAllAcked(mail); // the last entry read, and nothing pending: the push is done too
        long retriedAt = gateway.findAll(postRequestedFor(urlEqualTo("/push"))).get(1).getLoggedDate().getTime();
        assertTrue(retriedAt - limitedAt >= 900, "retried after the second the gateway asked for: " + (retriedAt - limitedAt));
        assertEquals(0, deadLetters().size(), "a Retry-After wait uses up no delivery, even with max-deliveries=1");
        assertEquals(1, greenMail.getReceivedMessages().length, "the e-mail is sent once the pause is over");
    }

    @Test
    void pushGatewayTimeoutIsRetried() throws Exception {
        gateway.stubFor(post("/push").inScenario("slow").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(200).withFixedDelay(2000)).willSetStateTo("fast"));
        gateway.stubFor(post("/push").inScenario("slow").whenScenarioStateIs("fast")
                .willReturn(aResponse().withStatus(200)));
        startApp(Map.of("notify.push.read-timeout-ms", "500"));

        String id = xadd("user_id", "123", "type", "push", "template", "promo");

        awaitAllAcked(id);
        gateway.verify(2, postRequestedFor(urlEqualTo("/push")));
        assertEquals(0, deadLetters().size());
    }

    @Test
    void pushRejectedByTheGatewayIsDeadLetteredWithStatusAndBody() throws Exception {
        gateway.stubFor(post("/push").willReturn(aResponse().withStatus(400).withBody("{\"error\":\"unknown user\"}")));
        startApp(Map.of());

        String id = xadd("user_id", "999", "type", "push", "template", "promo");

        await("dead letter").atMost(Duration.ofSeconds(10)).until(() -> deadLetters().size() == 1);
        Map<String, String> dead = deadLetters().get(0).getFields();
        assertEquals(id, dead.get("x-source-id"));
        assertTrue(dead.get("x-error").contains("HTTP 400"), dead.get("x-error"));
        assertTrue(dead.get("x-error").contains("unknown user"), dead.get("x-error"));
        assertEquals(0, pending());
        gateway.verify(1, postRequestedFor(urlEqualTo("/push")));
    }

    @Test
    void entriesThatCanNeverBeSentAreDeadLetteredWithTheReason() throws Exception {
        jedis.hset("user:1", "email", "alice@example.com");
        jedis.hset("user:2", "name", "no address here");
        startApp(Map.of());

        Map<String, String> expectedReason = new LinkedHashMap<>();
        expectedReason.put(xadd("user_id", "1", "type", "sms", "template", "welcome"), "unknown notification type 'sms'");
        expectedReason.put(xadd("user_id", "1", "type", "email", "template", "nosuch"), "unknown template 'nosuch'");
        expectedReason.put(xadd("user_id", "1", "type", "email", "template", "../application"), "invalid template name");
        expectedReason.put(xadd("user_id", "1", "type", "push", "template", "../../etc/passwd"), "invalid template name");
        expectedReason.put(xadd("user_id", "2", "type", "email", "template", "welcome"), "no e-mail address");
        expectedReason.put(xadd("user_id", "3", "type", "email", "template", "welcome"), "no e-mail address");
        expectedReason.put(xadd("user_id", "1", "type", "email", "template", "welcome", "email", "not-an-address"),
                "invalid e-mail address");
        expectedReason.put(xadd("user_id", "1", "type", "email", "template", "welcome", "email",
                "alice@example.com\r\nBcc: evil@example.com"), "invalid e-mail address");
        expectedReason.put(xadd("user_id", "1", "type", "email", "template", "welcome", "email",
                "alice@example.com, evil@example.com"), "invalid e-mail address");
        expectedReason.put(xadd("user_id", "1", "type", "email", "template", "welcome", "email",
                "Evil <evil@example.com>"), "invalid e-mail address");

        await("all dead-lettered").atMost(Duration.ofSeconds(10)).until(() -> deadLetters().size() == expectedReason.size());
        for (StreamEntry dead : deadLetters()) {
            Map<String, String> f = dead.getFields();
            String reason = expectedReason.get(f.get("x-source-id"));
            assertTrue(f.get("x-error").contains("RedisStreamsNonRetryableException"), f.get("x-error"));
            assertTrue(f.get("x-error").contains(reason), f.get("x-error") + " should contain " + reason);
            assertEquals(EVENTS, f.get("x-source-stream"));
            assertEquals(GROUP, f.get("x-group"));
            assertEquals("1", f.get("x-delivery-count"));
        }
        assertEquals(0, pending());
        assertEquals(0, greenMail.getReceivedMessages().length);
        gateway.verify(0, postRequestedFor(urlEqualTo("/push")));
    }

    @Test
    void lineBreaksInFieldsNeverReachMailHeaders() throws Exception {
        jedis.hset("user:42", "email", "alice@example.com");
        startApp(Map.of());

        String id = xadd("user_id", "42\r\nBcc: evil@example.com\r\nX-Injected: yes", "type", "email", "template", "welcome",
                "email", "alice@example.com");

        assertTrue(greenMail.waitForIncomingEmail(10000, 1), "mail received");
        awaitAllAcked(id);
        // a second (injected) recipient would have been delivered along with the first
        Await.holds("exactly one delivery, to alice only", Duration.ofMillis(300), () -> greenMail.getReceivedMessages().length == 1);
        MimeMessage[] received = greenMail.getReceivedMessages();
        assertEquals(1, received.length, "exactly one delivery, to alice only");
        String rawMessage = raw(received[0]);
        // header lines after unfolding (a long header continues on lines starting with white space)
        String headers = rawMessage.substring(0, rawMessage.indexOf("\r\n\r\n")).replaceAll("\r\n[ \t]+", " ");
        for (String line : headers.split("\r\n")) {
            assertFalse(line.regionMatches(true, 0, "Bcc:", 0, 4), headers);
            assertFalse(line.regionMatches(true, 0, "X-Injected:", 0, 11), headers);
        }
        assertEquals(null, received[0].getHeader("Bcc"));
        assertEquals(null, received[0].getHeader("X-Injected"));
        assertFalse(received[0].getSubject().contains("\n") || received[0].getSubject().contains("\r"), received[0].getSubject());
        assertEquals("Welcome to Stream Routes, user 42 Bcc: evil@example.com X-Injected: yes!", received[0].getSubject());
        assertEquals("alice@example.com", received[0].getAllRecipients()[0].toString());
        assertEquals(1, received[0].getAllRecipients().length);
        assertEquals(0, greenMail.getReceivedMessagesForDomain("evil@example.com").length);
    }

    @Test
    void disabledScenarioDoesNotConsume() throws Exception {
        jedis.hset("user:123", "email", "alice@example.com");
        startApp(Map.of("notify.enabled", "false"));

        xadd("user_id", "123", "type", "email", "template", "welcome");

        Await.holds("a disabled route stays stopped, creates no group and delivers nothing", Duration.ofMillis(800),
                () -> app.context().getRouteController().getRouteStatus("notifications") == ServiceStatus.Stopped
                      && jedis.xinfoGroups(EVENTS).isEmpty() && greenMail.getReceivedMessages().length == 0);
    }

    @Test
    void pushWithoutGatewayUrlStaysPendingInsteadOfBeingLost() throws Exception {
        startApp(Map.of("notify.push.url", ""));

        xadd("user_id", "123", "type", "push", "template", "promo");

        await("two failed deliveries").atMost(Duration.ofSeconds(10)).until(() -> {
            List<StreamPendingEntry> p = jedis.xpending(EVENTS, GROUP, XPendingParams.xPendingParams().count(10));
            return p.size() == 1 && p.get(0).getDeliveredTimes() >= 2;
        });
        assertEquals(0, deadLetters().size());
    }

    @Test
    void rejectedSmtpLoginLeavesTheEntryPending() throws Exception {
        greenMail.setUser("mailer@localhost", "mailer", "s3cret");
        startApp(Map.of("notify.smtp.username", "mailer", "notify.smtp.password", "wrong"));

        xadd("user_id", "1", "type", "email", "template", "welcome", "email", "carol@example.com");

        await("two failed deliveries").atMost(Duration.ofSeconds(10)).until(() -> {
            List<StreamPendingEntry> p = jedis.xpending(EVENTS, GROUP, XPendingParams.xPendingParams().count(10));
            return p.size() == 1 && p.get(0).getDeliveredTimes() >= 2;
        });
        assertEquals(0, greenMail.getReceivedMessages().length);
        assertEquals(0, deadLetters().size());
    }
}
