package io.streamroutes.reliability;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.streamroutes.embedded.EmbeddedRedis;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.StreamEntryID;

/**
 * routes/notifications.yaml in the real jar, sending 2 000 mails to GreenMail, killed -9 three times while sending and
 * restarted: every entry's mail must be accepted, and the entries mailed twice (same Message-ID) are counted. Each kill
 * can double at most the mails in flight (notify.concurrency); the goal, thanks to the notify:sent record, is at most
 * one per kill.
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
    void threeKillsWhileSendingLoseNoMailAndDoubleAtMostTheMailsInFlight() throws Exception {
        greenMail = new GreenMail(new ServerSetup(EmbeddedRedis.freePort(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        greenMail.start();
        Pipeline pipeline = jedis.pipelined();
        for (int i = 0; i < MAILS; i++) {
            pipeline.xadd("notify:events", StreamEntryID.NEW_ENTRY,
                    Map.of("user_id", Integer.toString(i), "type", "email", "template", "welcome", "email", "inbox@example.com"));
        }
        pipeline.sync(); // one mailbox: GreenMail's count over thousands of mailboxes would slow its own server down

        long started = System.nanoTime();
        List<String> killNotes = new ArrayList<>();
        for (int run = 0; run <= KILLS; run++) {
            ChildApp child = track(ChildApp.start("notifications-crash-run-" + run, "256m", settings()));
            if (run == KILLS) {
                break;
            }
            int target = MAILS * (run + 1) / (KILLS + 1);
            try {
                await("mails >= " + target + " in run " + run).atMost(Duration.ofSeconds(240)).pollInterval(Duration.ofMillis(20))
                        .until(() -> greenMail.getReceivedMessages().length >= target);
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                throw new AssertionError(e.getMessage() + "; mails received: " + greenMail.getReceivedMessages().length + ", pending: "
                                         + jedis.xpending("notify:events", "notify-workers").getTotal() + ", see " + child.outputFile(), e);
            }
            child.kill();
            killNotes.add("kill " + (run + 1) + " (pid " + child.pid() + ") after " + greenMail.getReceivedMessages().length + " mails");
        }
        await("every entry acked").atMost(Duration.ofSeconds(240)).pollInterval(Duration.ofMillis(200))
                .until(() -> jedis.xpending("notify:events", "notify-workers").getTotal() == 0 && acceptedEntries().size() == MAILS);
        lastChild().stopGracefully();
        long seconds = (System.nanoTime() - started) / 1_000_000_000L;

        Map<String, Integer> perEntry = acceptedEntries();
        Map<String, Integer> twice = new TreeMap<>(perEntry);
        twice.values().removeIf(count -> count < 2);
        int duplicates = greenMail.getReceivedMessages().length - perEntry.size();
        ReliabilityReport.section("6-notifications-crash", """
                ## Notifications: kill -9 while sending mail
                | mails | kills | entries without a mail | entries mailed twice | goal (1 per kill) | bound (kills x concurrency) | dead-lettered | seconds |
                |---|---|---|---|---|---|---|---|
                | %d | %d | %d | %d | %d | %d | %d | %d |

                %s  
                entries mailed more than once (Message-ID: count): %s
                """.formatted(MAILS, KILLS, MAILS - perEntry.size(), duplicates, KILLS, KILLS * CONCURRENCY,
                jedis.xlen("notify:dead-letter"), seconds, String.join("  \n", killNotes), twice));
        System.out.printf("notifications crash: %d mails, %d kills, %d entries mailed twice (goal <= %d, bound %d)%n", MAILS, KILLS,
                duplicates, KILLS, KILLS * CONCURRENCY);
        assertEquals(MAILS, perEntry.size(), "entries whose mail was accepted");
        assertEquals(0, jedis.xlen("notify:dead-letter"));
        assertTrue(duplicates <= KILLS * CONCURRENCY, duplicates + " duplicates exceed " + KILLS + " kills x " + CONCURRENCY + " in flight");
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
        return props;
    }
}
