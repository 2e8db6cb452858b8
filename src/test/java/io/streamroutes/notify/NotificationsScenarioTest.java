package io.streamroutes.notify;

import static io.streamroutes.notify.NotificationsFixture.EVENTS;
import static io.streamroutes.notify.NotificationsFixture.GROUP;
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

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.icegreen.greenmail.util.GreenMail;
import io.streamroutes.testsupport.Await;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import org.apache.camel.ServiceStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import io.streamroutes.testsupport.EmbeddedRedisExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.resps.StreamEntry;

/**
 * routes/notifications.yaml end to end: the real application against a real Redis, GreenMail (SMTP) and WireMock
 * (push gateway).
 */
class NotificationsScenarioTest {

    @RegisterExtension
    static final EmbeddedRedisExtension redis = new EmbeddedRedisExtension();

    @RegisterExtension
    final NotificationsFixture notify = new NotificationsFixture(redis);

    WireMockServer gateway;

    @BeforeEach
    void startGateway() {
        gateway = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        gateway.start();
    }

    @AfterEach
    void stopGateway() {
        gateway.stop();
    }

    /** The route with the WireMock push gateway and these settings ("" leaves a setting out). */
    void startApp(Map<String, String> settings) throws Exception {
        Map<String, String> props = new HashMap<>();
        props.put("notify.push.url", "http://127.0.0.1:" + gateway.port() + "/push");
        props.putAll(settings);
        notify.start(props);
    }

    static String raw(MimeMessage message) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        message.writeTo(out);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void emailGoesToTheAddressInTheUserHashWithTheRenderedTemplate() throws Exception {
        notify.jedis().hset("user:123", "email", "alice@example.com");
        startApp(Map.of());

        String id = notify.xadd("user_id", "123", "type", "email", "template", "welcome");

        notify.awaitMails(1);
        notify.awaitAllAcked(id);
        MimeMessage mail = notify.greenMail().getReceivedMessages()[0];
        assertEquals("Welcome to Stream Routes, user 123!", mail.getSubject());
        assertEquals("alice@example.com", mail.getRecipients(Message.RecipientType.TO)[0].toString());
        assertEquals("noreply@localhost", mail.getFrom()[0].toString());
        assertTrue(MailParts.text(mail).contains("your account 123 is ready"), MailParts.text(mail));
        assertEquals(0, notify.deadLetters().size());
    }

    @Test
    void emailFieldOfTheEntryWinsOverTheUserHashAndTemplatesComeFromTheConfiguredDirectory(@TempDir Path templates)
            throws Exception {
        notify.jedis().hset("user:7", "email", "alice@example.com");
        Path receipt = Files.createDirectories(templates.resolve("receipt/en"));
        Files.writeString(receipt.resolve("subject.ftl"), "Receipt for order ${order_id}\n");
        Files.writeString(receipt.resolve("text.ftl"), "Thanks ${user_id}, order ${order_id} is paid. ${missing!}.");
        Files.writeString(receipt.resolve("html.ftlh"), "<p>Thanks ${user_id}</p>");
        startApp(Map.of("notify.templates.dir", templates.toString(), "notify.mail.from", "shop@example.org"));

        String id = notify.xadd("user_id", "7", "type", "email", "template", "receipt", "email", "bob@example.com", "order_id", "1001");

        notify.awaitMails(1);
        notify.awaitAllAcked(id);
        MimeMessage mail = notify.greenMail().getReceivedMessages()[0];
        assertEquals("bob@example.com", mail.getRecipients(Message.RecipientType.TO)[0].toString());
        assertEquals("shop@example.org", mail.getFrom()[0].toString());
        assertEquals("Receipt for order 1001", mail.getSubject());
        assertEquals("Thanks 7, order 1001 is paid. .", MailParts.text(mail).strip());
    }

    @Test
    void smtpLoginUsesTheConfiguredCredentials() throws Exception {
        notify.greenMail().setUser("mailer@localhost", "mailer", "s3cret");
        startApp(Map.of("notify.smtp.username", "mailer", "notify.smtp.password", "s3cret"));

        String id = notify.xadd("user_id", "1", "type", "email", "template", "welcome", "email", "carol@example.com");

        notify.awaitMails(1);
        notify.awaitAllAcked(id);
    }

    @Test
    void smtpDownLeavesTheEntryPendingAndItIsDeliveredOnceTheServerIsBack() throws Exception {
        notify.stopGreenMail();
        notify.jedis().hset("user:123", "email", "alice@example.com");
        startApp(Map.of());

        String id = notify.xadd("user_id", "123", "type", "email", "template", "welcome");

        notify.awaitRetriedNotDeadLettered(); // the first delivery and a retry failed, the entry still pending
        assertEquals(1, notify.pending());

        notify.restartGreenMail();
        notify.awaitMails(1);
        notify.awaitAllAcked(id);
        assertEquals(0, notify.deadLetters().size());
    }

    @Test
    void pushPostsJsonToTheGateway() throws Exception {
        gateway.stubFor(post("/push").willReturn(aResponse().withStatus(202)));
        startApp(Map.of());

        String id = notify.xadd("user_id", "123", "type", "push", "template", "promo");

        notify.awaitAllAcked(id);
        gateway.verify(1, postRequestedFor(urlEqualTo("/push"))
                .withHeader("Content-Type", equalTo("application/json"))
                .withRequestBody(equalToJson("{\"user_id\":\"123\",\"template\":\"promo\"}")));
        assertEquals(0, notify.deadLetters().size());
    }

    @Test
    void aPushTheGatewayAcceptedIsRecordedAndNotPostedAgainWhenTheEntryIsDeliveredAgain() throws Exception {
        gateway.stubFor(post("/push").willReturn(aResponse().withStatus(200)));
        startApp(Map.of("notify.sent-window", "2h"));
        String accepted = notify.xadd("user_id", "1", "type", "push", "template", "promo");
        String forgotten = notify.xadd("user_id", "2", "type", "push", "template", "promo");
        notify.awaitAllAcked(forgotten);
        assertEquals(accepted, notify.jedis().get("notify:sent:" + accepted), "recorded once the gateway answered 2xx");
        long ttl = notify.jedis().ttl("notify:sent:" + accepted);
        assertTrue(ttl > 7000 && ttl <= 7200, "kept for notify.sent-window: " + ttl);

        // both entries delivered again, as after a crash between the gateway's answer and the ack; the second one's
        // record is gone (as after notify.sent-window), so it shows that only the record stops a second call
        notify.jedis().del("notify:sent:" + forgotten);
        notify.jedis().xgroupSetID(EVENTS, GROUP, new StreamEntryID(0, 0));
        notify.awaitAllAcked(forgotten);

        gateway.verify(1, postRequestedFor(urlEqualTo("/push")).withRequestBody(equalToJson("{\"user_id\":\"1\",\"template\":\"promo\"}")));
        gateway.verify(2, postRequestedFor(urlEqualTo("/push")).withRequestBody(equalToJson("{\"user_id\":\"2\",\"template\":\"promo\"}")));
        assertEquals(0, notify.deadLetters().size());
    }

    @Test
    void pushGatewayErrorIsRetriedUntilAccepted() throws Exception {
        gateway.stubFor(post("/push").inScenario("flaky").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(500).withBody("try later")).willSetStateTo("up"));
        gateway.stubFor(post("/push").inScenario("flaky").whenScenarioStateIs("up")
                .willReturn(aResponse().withStatus(200)));
        startApp(Map.of());

        String id = notify.xadd("user_id", "123", "type", "push", "template", "promo");

        notify.awaitAllAcked(id);
        gateway.verify(2, postRequestedFor(urlEqualTo("/push")));
        assertEquals(0, notify.deadLetters().size());
    }

    @Test
    void pushGatewayLimitingUsIsRetriedAfterRetryAfterAndHoldsBackOtherNotifications() throws Exception {
        gateway.stubFor(post("/push").inScenario("limited").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1")).willSetStateTo("ok"));
        gateway.stubFor(post("/push").inScenario("limited").whenScenarioStateIs("ok")
                .willReturn(aResponse().withStatus(200)));
        startApp(Map.of("notify.max-deliveries", "1"));

        String push = notify.xadd("user_id", "123", "type", "push", "template", "promo");
        await("first push call").atMost(Duration.ofSeconds(10))
                .until(() -> gateway.findAll(postRequestedFor(urlEqualTo("/push"))).size() == 1);
        long limitedAt = gateway.findAll(postRequestedFor(urlEqualTo("/push"))).get(0).getLoggedDate().getTime();
        String mail = notify.xadd("user_id", "123", "type", "email", "template", "welcome", "email", "user123@example.com");
        notify.awaitAllAcked(mail); // the last entry read, and nothing pending: the push is done too
        long retriedAt = gateway.findAll(postRequestedFor(urlEqualTo("/push"))).get(1).getLoggedDate().getTime();
        assertTrue(retriedAt - limitedAt >= 900, "retried after the second the gateway asked for: " + (retriedAt - limitedAt));
        assertEquals(0, notify.deadLetters().size(), "a Retry-After wait uses up no delivery, even with max-deliveries=1");
        assertEquals(1, notify.greenMail().getReceivedMessages().length, "the e-mail is sent once the pause is over");
    }

    @Test
    void pushGatewayTimeoutIsRetried() throws Exception {
        gateway.stubFor(post("/push").inScenario("slow").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(200).withFixedDelay(2000)).willSetStateTo("fast"));
        gateway.stubFor(post("/push").inScenario("slow").whenScenarioStateIs("fast")
                .willReturn(aResponse().withStatus(200)));
        startApp(Map.of("notify.push.read-timeout-ms", "500"));

        String id = notify.xadd("user_id", "123", "type", "push", "template", "promo");

        notify.awaitAllAcked(id);
        gateway.verify(2, postRequestedFor(urlEqualTo("/push")));
        assertEquals(0, notify.deadLetters().size());
    }

    @Test
    void pushRejectedByTheGatewayIsDeadLetteredWithStatusAndBody() throws Exception {
        gateway.stubFor(post("/push").willReturn(aResponse().withStatus(400).withBody("{\"error\":\"unknown user\"}")));
        startApp(Map.of());

        String id = notify.xadd("user_id", "999", "type", "push", "template", "promo");

        await("dead letter").atMost(Duration.ofSeconds(10)).until(() -> notify.deadLetters().size() == 1);
        Map<String, String> dead = notify.deadLetters().get(0).getFields();
        assertEquals(id, dead.get("x-source-id"));
        assertTrue(dead.get("x-error").contains("HTTP 400"), dead.get("x-error"));
        assertTrue(dead.get("x-error").contains("unknown user"), dead.get("x-error"));
        assertEquals(0, notify.pending());
        gateway.verify(1, postRequestedFor(urlEqualTo("/push")));
    }

    @Test
    void entriesThatCanNeverBeSentAreDeadLetteredWithTheReason() throws Exception {
        notify.jedis().hset("user:1", "email", "alice@example.com");
        notify.jedis().hset("user:2", "name", "no address here");
        startApp(Map.of());

        Map<String, String> expectedReason = new LinkedHashMap<>();
        expectedReason.put(notify.xadd("user_id", "1", "type", "sms", "template", "welcome"), "unknown notification type 'sms'");
        expectedReason.put(notify.xadd("user_id", "1", "type", "email", "template", "nosuch"), "unknown template 'nosuch'");
        expectedReason.put(notify.xadd("user_id", "1", "type", "email", "template", "../application"), "invalid template name");
        expectedReason.put(notify.xadd("user_id", "1", "type", "push", "template", "../../etc/passwd"), "invalid template name");
        expectedReason.put(notify.xadd("user_id", "2", "type", "email", "template", "welcome"), "no e-mail address");
        expectedReason.put(notify.xadd("user_id", "3", "type", "email", "template", "welcome"), "no e-mail address");
        expectedReason.put(notify.xadd("user_id", "1", "type", "email", "template", "welcome", "email", "not-an-address"),
                "invalid e-mail address");
        expectedReason.put(notify.xadd("user_id", "1", "type", "email", "template", "welcome", "email",
                "alice@example.com\r\nBcc: evil@example.com"), "invalid e-mail address");
        expectedReason.put(notify.xadd("user_id", "1", "type", "email", "template", "welcome", "email",
                "alice@example.com, evil@example.com"), "invalid e-mail address");
        expectedReason.put(notify.xadd("user_id", "1", "type", "email", "template", "welcome", "email",
                "Evil <evil@example.com>"), "invalid e-mail address");

        await("all dead-lettered").atMost(Duration.ofSeconds(10)).until(() -> notify.deadLetters().size() == expectedReason.size());
        for (StreamEntry dead : notify.deadLetters()) {
            Map<String, String> f = dead.getFields();
            String reason = expectedReason.get(f.get("x-source-id"));
            assertTrue(f.get("x-error").contains("RedisStreamsNonRetryableException"), f.get("x-error"));
            assertTrue(f.get("x-error").contains(reason), f.get("x-error") + " should contain " + reason);
            assertEquals(EVENTS, f.get("x-source-stream"));
            assertEquals(GROUP, f.get("x-group"));
            assertEquals("1", f.get("x-delivery-count"));
        }
        assertEquals(0, notify.pending());
        assertEquals(0, notify.greenMail().getReceivedMessages().length);
        gateway.verify(0, postRequestedFor(urlEqualTo("/push")));
    }

    @Test
    void lineBreaksInFieldsNeverReachMailHeaders() throws Exception {
        notify.jedis().hset("user:42", "email", "alice@example.com");
        startApp(Map.of());

        String id = notify.xadd("user_id", "42\r\nBcc: evil@example.com\r\nX-Injected: yes", "type", "email", "template", "welcome",
                "email", "alice@example.com");

        notify.awaitMails(1);
        notify.awaitAllAcked(id);
        // a second (injected) recipient would have been delivered along with the first
        Await.holds("exactly one delivery, to alice only", Duration.ofMillis(300), () -> notify.greenMail().getReceivedMessages().length == 1);
        MimeMessage[] received = notify.greenMail().getReceivedMessages();
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
        assertEquals(0, notify.greenMail().getReceivedMessagesForDomain("evil@example.com").length);
    }

    @Test
    void disabledScenarioDoesNotConsume() throws Exception {
        notify.jedis().hset("user:123", "email", "alice@example.com");
        startApp(Map.of("notify.enabled", "false"));

        notify.xadd("user_id", "123", "type", "email", "template", "welcome");

        Await.holds("a disabled route stays stopped, creates no group and delivers nothing", Duration.ofMillis(800),
                () -> notify.app().context().getRouteController().getRouteStatus("notifications") == ServiceStatus.Stopped
                      && notify.jedis().xinfoGroups(EVENTS).isEmpty() && notify.greenMail().getReceivedMessages().length == 0);
    }

    @Test
    void pushWithoutGatewayUrlStaysPendingInsteadOfBeingLost() throws Exception {
        startApp(Map.of("notify.push.url", ""));

        notify.xadd("user_id", "123", "type", "push", "template", "promo");

        notify.awaitRetriedNotDeadLettered();
    }

    @Test
    void rejectedSmtpLoginLeavesTheEntryPending() throws Exception {
        notify.greenMail().setUser("mailer@localhost", "mailer", "s3cret");
        startApp(Map.of("notify.smtp.username", "mailer", "notify.smtp.password", "wrong"));

        notify.xadd("user_id", "1", "type", "email", "template", "welcome", "email", "carol@example.com");

        notify.awaitRetriedNotDeadLettered();
        assertEquals(0, notify.greenMail().getReceivedMessages().length);
    }
}
