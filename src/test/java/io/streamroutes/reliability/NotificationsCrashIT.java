package io.streamroutes.reliability;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;

import com.icegreen.greenmail.store.MailFolder;
import com.icegreen.greenmail.store.StoredMessage;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.streamroutes.embedded.EmbeddedRedis;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.StreamEntryID;

/**
 * routes/notifications.yaml in the real jar, sending 2 000 mails to GreenMail, killed -9 three times while sending and
 * restarted: every entry's mail must be accepted, and the entries mailed twice (same Message-ID) are counted. After each
 * kill the test lists the mails the relay stored whose entry {@code notify:sent} does not record: exactly those are
 * mailed again, and for each whether the sender had read the relay's "250" (its TRACE line "Relay accepted", logged
 * just before the record). The sender records a mail right after reading the "250", so what remains is SMTP's own
 * window: mails whose DATA was sent and whose "250" was not read yet, at most one per sender (notify.concurrency) at a
 * kill. The goal is at most one per kill.
 */
class NotificationsCrashIT extends ChildAppTestSupport {

    static final int MAILS = 2_000;
    static final int CONCURRENCY = 10;
    static final int KILLS = 3;

    GreenMail greenMail;

    @AfterEach
    void stopGreenMail() {
        if (greenMail != null) {
            greenMail.stop();
        }
    }

    @Test
    void threeKillsWhileSendingLoseNoMailAndDoubleOnlyMailsUnrecordedAtAKill() throws Exception {
        greenMail = new GreenMail(new ServerSetup(EmbeddedRedis.freePort(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        greenMail.start();
        // counted through the mailbox: copying every received mail 50 times a second would slow the relay down
        MailFolder inbox = greenMail.getManagers().getImapHostManager()
                .getInbox(greenMail.setUser("inbox@example.com", "inbox", "secret"));
        Pipeline pipeline = jedis.pipelined();
        for (int i = 0; i < MAILS; i++) {
            pipeline.xadd("notify:events", StreamEntryID.NEW_ENTRY,
                    Map.of("user_id", Integer.toString(i), "type", "email", "template", "welcome", "email", "inbox@example.com"));
        }
        pipeline.sync(); // one mailbox: GreenMail's count over thousands of mailboxes would slow its own server down

        long started = System.nanoTime();
        List<KillOutcome> kills = new ArrayList<>();
        for (int run = 0; run <= KILLS; run++) {
            ChildApp child = track(ChildApp.start("notifications-crash-run-" + run, "256m", settings()));
            if (run == KILLS) {
                break;
            }
            int target = MAILS * (run + 1) / (KILLS + 1);
            try {
                await("mails >= " + target + " in run " + run).atMost(Duration.ofSeconds(240)).pollInterval(Duration.ofMillis(20))
                        .until(() -> inbox.getMessageCount() >= target);
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                throw new AssertionError(e.getMessage() + "; mails received: " + greenMail.getReceivedMessages().length + ", pending: "
                                         + jedis.xpending("notify:events", "notify-workers").getTotal() + ", see " + child.outputFile(), e);
            }
            long killedAt = System.currentTimeMillis();
            child.kill();
            kills.add(KillOutcome.after(run + 1, child, killedAt, inbox, jedis));
        }
        await("every entry acked").atMost(Duration.ofSeconds(240)).pollInterval(Duration.ofMillis(200))
                .until(() -> jedis.xpending("notify:events", "notify-workers").getTotal() == 0 && acceptedEntries().size() == MAILS);
        lastChild().stopGracefully();
        long seconds = (System.nanoTime() - started) / 1_000_000_000L;

        Map<String, Integer> perEntry = acceptedEntries();
        Map<String, Integer> twice = new TreeMap<>(perEntry);
        twice.values().removeIf(count -> count < 2);
        int duplicates = greenMail.getReceivedMessages().length - perEntry.size();
        int explained = kills.stream().mapToInt(k -> k.unrecorded().size()).sum();
        int worstKill = kills.stream().mapToInt(k -> k.unrecorded().size()).max().orElse(0);
        ReliabilityReport.section("6-notifications-crash", """
                ## Notifications: kill -9 while sending mail
                | mails | kills | entries without a mail | entries mailed twice | per kill | of them "250" never read | goal (1 per kill) | bound (concurrency per kill) | dead-lettered | seconds |
                |---|---|---|---|---|---|---|---|---|---|
                | %d | %d | %d | %d | %s | %s | %d | %d | %d | %d |

                Mails the relay had stored and `notify:sent` did not record when the process was dead, per kill: whether the
                sender had read the relay's "250" (its log line "Relay accepted <Message-ID>"), and when the relay stored
                each, relative to the SIGKILL (positive: after it):  
                %s  
                entries mailed more than once (Message-ID: count): %s
                """.formatted(MAILS, KILLS, MAILS - perEntry.size(), duplicates,
                kills.stream().map(k -> Integer.toString(k.unrecorded().size())).toList(),
                kills.stream().map(k -> Integer.toString(k.unrecorded().size() - k.answerRead().size())).toList(), KILLS, CONCURRENCY,
                jedis.xlen("notify:dead-letter"), seconds, String.join("  \n", kills.stream().map(KillOutcome::toString).toList()), twice));
        System.out.printf("notifications crash: %d mails, %d kills, %d entries mailed twice, per kill %s (goal <= 1 per kill, bound %d per kill)%n",
                MAILS, KILLS, duplicates, kills.stream().map(k -> k.unrecorded().size()).toList(), CONCURRENCY);
        kills.forEach(System.out::println);
        assertEquals(MAILS, perEntry.size(), "entries whose mail was accepted");
        assertEquals(0, jedis.xlen("notify:dead-letter"));
        // every second mail comes from a kill: a mail the relay stored that was not recorded when the process died
        assertEquals(explained, duplicates, "entries mailed twice against mails unrecorded at the kills: " + kills);
        // each sender has at most one mail between its DATA and its record; SMTP cannot close that window
        assertTrue(worstKill <= CONCURRENCY, worstKill + " mails unrecorded at one kill exceed the " + CONCURRENCY + " senders: " + kills);
        // the sender's own window, from reading the "250" to writing notify:sent, is one SET: a kill finds at most one there
        kills.forEach(k -> assertTrue(k.answerRead().size() <= 1, "read the relay's 250 but not recorded: " + k));
    }

    /**
     * What one kill left: the mails the relay stored (once it stopped storing) whose entry {@code notify:sent} does not
     * record, i.e. the mails this kill will have sent twice, each with the time the relay stored it relative to the
     * SIGKILL.
     */
    record KillOutcome(int kill, long pid, int mailsAtKill, Map<String, Long> unrecorded, Set<String> answerRead) {

        static KillOutcome after(int kill, ChildApp child, long killedAt, MailFolder inbox, Jedis jedis) throws Exception {
            // a mail whose DATA the dead process had sent is still stored by the relay: wait until nothing more arrives;
            // GreenMail's handler threads throw on the connections the kill reset: not this test's failure
            AtomicInteger last = new AtomicInteger(-1);
            await("relay quiet after kill " + kill).dontCatchUncaughtExceptions().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(300)).until(() -> {
                        int now = inbox.getMessageCount();
                        return last.getAndSet(now) == now;
                    });
            String log = Files.readString(child.outputFile());
            Map<String, Long> unrecorded = new TreeMap<>();
            Set<String> answerRead = new TreeSet<>();
            for (StoredMessage stored : inbox.getMessages()) {
                String messageId = stored.getMimeMessage().getMessageID();
                String entryId = messageId.substring(1, messageId.indexOf(".notify.events@")); // <entry-id.notify.events@localhost>
                if (!jedis.exists("notify:sent:" + entryId)) {
                    unrecorded.put(entryId, stored.getReceivedDate().getTime() - killedAt);
                    if (log.contains("Relay accepted " + messageId)) {
                        answerRead.add(entryId);
                    }
                }
            }
            return new KillOutcome(kill, child.pid(), inbox.getMessageCount(), unrecorded, answerRead);
        }

        /** Mails the relay stored after the SIGKILL: their DATA was sent, their "250" can never have been read. */
        long storedAfterKill() {
            return unrecorded.values().stream().filter(ms -> ms > 0).count();
        }

        @Override
        public String toString() {
            return "kill " + kill + " (pid " + pid + ", " + mailsAtKill + " mails): " + unrecorded.size() + " unrecorded, "
                   + (unrecorded.size() - answerRead.size()) + " of them with the relay's \"250\" never read (" + storedAfterKill()
                   + " stored after the kill), " + answerRead.size() + " read but not recorded; stored at ms "
                   + unrecorded.values().stream().sorted().toList() + " from the kill";
        }
    }

    /** Mails received per Message-ID (one per entry). */
    private Map<String, Integer> acceptedEntries() throws Exception {
        Map<String, Integer> counts = new HashMap<>();
        for (MimeMessage mail : greenMail.getReceivedMessages()) {
            counts.merge(mail.getMessageID(), 1, Integer::sum);
        }
        return counts;
    }

    private Map<String, String> settings() {
        Map<String, String> props = ChildApp.redisAt(redis.host(), redis.port());
        props.put(ChildApp.ROUTES_PROPERTY, "file:routes/notifications.yaml");
        props.put("notify.consumer", "mailer");
        props.put("notify.concurrency", Integer.toString(CONCURRENCY));
        props.put("notify.smtp.connections", Integer.toString(CONCURRENCY));
        props.put("notify.smtp.host", "127.0.0.1");
        props.put("notify.smtp.port", Integer.toString(greenMail.getSmtp().getPort()));
        props.put("notify.smtp.security", "none");
        props.put("notify.block-ms", "200");
        props.put("notify.max-deliveries", "100");
        // "Relay accepted <Message-ID>" once the sender read the relay's "250", just before it writes notify:sent
        props.put("LOG_LEVELS_FILE", Path.of("src/test/resources/reliability/smtp-accepted-logback.xml").toAbsolutePath().toString());
        return props;
    }
}
