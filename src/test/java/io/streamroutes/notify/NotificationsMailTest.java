package io.streamroutes.notify;

import static io.streamroutes.notify.NotificationsFixture.EVENTS;
import static io.streamroutes.notify.NotificationsFixture.GROUP;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.streamroutes.testsupport.EmbeddedRedisExtension;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.params.XReadGroupParams;
import redis.clients.jedis.resps.StreamEntry;

/**
 * What a notification mail looks like (multipart, locale, escaping, List-Unsubscribe, Message-ID), how template faults
 * are dead-lettered, how connections are reused and that an entry whose mail was accepted is not mailed again.
 * Plain SMTP (notify.smtp.security=none); TLS relays: {@link NotificationsRelayTest}.
 */
class NotificationsMailTest {

    @RegisterExtension
    static final EmbeddedRedisExtension redis = new EmbeddedRedisExtension();

    @RegisterExtension
    final NotificationsFixture notify = new NotificationsFixture(redis);

    @Test
    void localeComesFromTheEntryOrTheUserAndFallsBackToTheLanguageThenTheDefault() throws Exception {
        notify.jedis().hset("user:1", Map.of("email", "at@example.com", "locale", "de-AT"));
        notify.jedis().hset("user:2", Map.of("email", "fr@example.com", "locale", "fr-FR"));
        notify.jedis().hset("user:3", Map.of("email", "none@example.com"));
        notify.jedis().hset("user:4", Map.of("email", "entry@example.com", "locale", "en"));
        notify.jedis().hset("user:5", Map.of("email", "odd@example.com", "locale", "DE_de"));
        notify.start();

        notify.xadd("user_id", "1", "type", "email", "template", "welcome");
        notify.xadd("user_id", "2", "type", "email", "template", "welcome");
        notify.xadd("user_id", "3", "type", "email", "template", "welcome");
        notify.xadd("user_id", "4", "type", "email", "template", "promo", "locale", "de");
        String last = notify.xadd("user_id", "5", "type", "email", "template", "promo");

        notify.awaitMails(5);
        notify.awaitAllAcked(last);
        Map<String, String> languages = new HashMap<>();
        for (String to : List.of("at@example.com", "fr@example.com", "none@example.com", "entry@example.com", "odd@example.com")) {
            languages.put(to, notify.mailTo(to).getHeader("Content-Language", null));
        }
        assertEquals(Map.of("at@example.com", "de", "fr@example.com", "en", "none@example.com", "en", "entry@example.com", "de",
                "odd@example.com", "de"), languages);
        assertEquals("Willkommen bei Stream Routes, Benutzer 1!", notify.mailTo("at@example.com").getSubject());
        assertEquals("Welcome to Stream Routes, user 2!", notify.mailTo("fr@example.com").getSubject());
        assertEquals("Ein besonderes Angebot für Sie, Benutzer 4", notify.mailTo("entry@example.com").getSubject());
        assertTrue(MailParts.html(notify.mailTo("at@example.com")).contains("<html lang=\"de\">"));
    }

    @Test
    void theDefaultLocaleIsASetting() throws Exception {
        notify.jedis().hset("user:2", Map.of("email", "fr@example.com", "locale", "fr"));
        notify.start("notify.default-locale", "de");

        String id = notify.xadd("user_id", "2", "type", "email", "template", "welcome");

        notify.awaitMails(1);
        notify.awaitAllAcked(id);
        assertEquals("de", notify.greenMail().getReceivedMessages()[0].getHeader("Content-Language", null));
    }

    @Test
    void mailIsMultipartAlternativeTextThenHtmlWithFieldsEscapedInTheHtmlOnly() throws Exception {
        notify.start();
        String id = notify.xadd("user_id", "<script>alert('x')</script> & co", "type", "email", "template", "welcome", "email",
                "eve@example.com");

        notify.awaitMails(1);
        notify.awaitAllAcked(id);
        MimeMessage mail = notify.greenMail().getReceivedMessages()[0];
        assertTrue(mail.getContentType().startsWith("multipart/alternative"), mail.getContentType());
        assertEquals(2, MailParts.alternative(mail).getCount());
        assertTrue(MailParts.part(mail, 0).getContentType().toLowerCase().contains("charset=utf-8"));
        String html = MailParts.html(mail);
        assertTrue(html.contains("<strong>&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; co</strong>"), html);
        assertFalse(html.contains("<script>"), html);
        assertTrue(MailParts.text(mail).contains("your account <script>alert('x')</script> & co is ready"), MailParts.text(mail));
        assertEquals("<" + id + ".notify.events@localhost>", mail.getMessageID());
        assertNull(mail.getHeader("List-Unsubscribe"), "welcome is not a list mail");
    }

    @Test
    void promoMailsCarryListUnsubscribeFromTheUrlTemplate() throws Exception {
        notify.start("notify.mail.list-unsubscribe-url", "https://shop.example/unsubscribe?user={user_id}&list={template}");
        String id = notify.xadd("user_id", "a b&c", "type", "email", "template", "promo", "email", "pat@example.com");

        notify.awaitMails(1);
        notify.awaitAllAcked(id);
        MimeMessage mail = notify.greenMail().getReceivedMessages()[0];
        assertEquals("<https://shop.example/unsubscribe?user=a+b%26c&list=promo>", mail.getHeader("List-Unsubscribe", null));
        assertEquals("List-Unsubscribe=One-Click", mail.getHeader("List-Unsubscribe-Post", null));
    }

    @Test
    void templateFaultsAreDeadLetteredAtOnceNamingTheTemplate(@TempDir Path templates) throws Exception {
        write(templates, "broken/en/subject.ftl", "Hello ${user_id");
        write(templates, "broken/en/text.ftl", "x");
        write(templates, "broken/en/html.ftlh", "x");
        write(templates, "needs/en/subject.ftl", "Order ${order_id}");
        write(templates, "needs/en/text.ftl", "x");
        write(templates, "needs/en/html.ftlh", "x");
        write(templates, "nohtml/en/subject.ftl", "Hi");
        write(templates, "nohtml/en/text.ftl", "x");
        write(templates, "germanonly/de/subject.ftl", "Hallo");
        notify.start("notify.templates.dir", templates.toString());

        Map<String, String> expected = new LinkedHashMap<>();
        expected.put(notify.xadd("user_id", "1", "type", "email", "template", "broken", "email", "a@example.com"),
                "template 'broken' (locale en): syntax error in broken/en/subject.ftl line 1");
        expected.put(notify.xadd("user_id", "1", "type", "email", "template", "needs", "email", "a@example.com"),
                "template 'needs' (locale en): missing field 'order_id' in needs/en/subject.ftl line 1");
        expected.put(notify.xadd("user_id", "1", "type", "email", "template", "nohtml", "email", "a@example.com"),
                "template 'nohtml' (locale en): no file " + templates.resolve("nohtml/en/html.ftlh"));
        expected.put(notify.xadd("user_id", "1", "type", "email", "template", "germanonly", "email", "a@example.com"),
                "unknown template 'germanonly' (no file " + templates.resolve("germanonly/en/subject.ftl") + ")");

        await("all dead-lettered").atMost(Duration.ofSeconds(15)).until(() -> notify.jedis().xlen("notify:dead-letter") == expected.size());
        Map<String, String> reasons = notify.jedis().xrange("notify:dead-letter", "-", "+").stream()
                .collect(Collectors.toMap(e -> e.getFields().get("x-source-id"), e -> e.getFields().get("x-error")));
        expected.forEach((id, reason) -> {
            assertTrue(reasons.get(id).contains(reason), "expected '" + reason + "' in: " + reasons.get(id));
            assertEquals("1", notify.jedis().xrange("notify:dead-letter", "-", "+").stream()
                    .filter(e -> e.getFields().get("x-source-id").equals(id)).findFirst().orElseThrow().getFields().get("x-delivery-count"));
        });
        assertEquals(0, notify.greenMail().getReceivedMessages().length);
    }

    private static void write(Path dir, String file, String text) throws Exception {
        Path path = dir.resolve(file);
        Files.createDirectories(path.getParent());
        Files.writeString(path, text);
    }

    @Test
    void anEntryWhoseMailWasAcceptedIsRecordedAndNotMailedAgainWhenDeliveredAgain() throws Exception {
        notify.start("notify.sent-window", "2h");
        String sent = notify.xadd("user_id", "1", "type", "email", "template", "welcome", "email", "a@example.com");
        notify.awaitMails(1);
        notify.awaitAllAcked(sent);
        assertEquals(sent, notify.jedis().get("notify:sent:" + sent));
        long ttl = notify.jedis().ttl("notify:sent:" + sent);
        assertTrue(ttl > 7000 && ttl <= 7200, "kept for notify.sent-window: " + ttl);
        notify.stopApp();

        // a process read the entry, had its mail accepted (and recorded), and died before the ack
        String crashed = notify.xadd("user_id", "2", "type", "email", "template", "welcome", "email", "b@example.com");
        notify.jedis().xreadGroup(GROUP, "crashed-process", XReadGroupParams.xReadGroupParams().count(10),
                Map.of(EVENTS, StreamEntryID.XREADGROUP_UNDELIVERED_ENTRY));
        notify.jedis().set("notify:sent:" + crashed, "1");
        notify.start();

        notify.awaitAllAcked(crashed);
        assertEquals(1, notify.greenMail().getReceivedMessages().length, "no second mail for the recorded entry");
        assertEquals(0, notify.jedis().xlen("notify:dead-letter"));
    }

    @Test
    void connectionsAreReusedAndReopenedAfterTheConfiguredNumberOfMails() throws Exception {
        notify.start("notify.concurrency", "1", "notify.smtp.connections", "1", "notify.smtp.max-mails-per-connection", "5");
        String last = null;
        for (int i = 0; i < 20; i++) {
            last = notify.xadd("user_id", Integer.toString(i), "type", "email", "template", "welcome", "email", "u" + i + "@example.com");
        }
        notify.awaitMails(20);
        notify.awaitAllAcked(last);
        assertEquals(4, notify.sender().connectionsOpened(), "20 mails, a new connection every 5");
    }

    @Test
    void aConnectionTheServerClosedIsReplacedWithoutLosingTheMail() throws Exception {
        notify.start("notify.concurrency", "2", "notify.smtp.connections", "2");
        String first = notify.xadd("user_id", "1", "type", "email", "template", "welcome", "email", "a@example.com");
        notify.awaitMails(1);
        notify.awaitAllAcked(first);
        assertEquals(1, notify.sender().connectionsOpened());

        notify.restartGreenMail(); // closes the kept-open connection
        String second = notify.xadd("user_id", "2", "type", "email", "template", "welcome", "email", "b@example.com");

        notify.awaitMails(1);
        notify.awaitAllAcked(second);
        assertEquals(2, notify.sender().connectionsOpened());
        List<StreamEntry> dead = notify.jedis().xrange("notify:dead-letter", "-", "+");
        assertEquals(List.of(), dead);
        assertEquals(List.of("b@example.com"), Arrays.stream(notify.greenMail().getReceivedMessages())
                .map(m -> { try { return m.getRecipients(Message.RecipientType.TO)[0].toString(); } catch (Exception e) { throw new RuntimeException(e); } })
                .toList());
    }
}
