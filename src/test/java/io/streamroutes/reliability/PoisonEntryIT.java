package io.streamroutes.reliability;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.streamroutes.testsupport.Await;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.resps.StreamEntry;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Entries whose processing always throws, in the real jar: dead-lettered after maxDeliveries with the error, never
 * retried again, and the entries behind them are processed meanwhile.
 */
class PoisonEntryIT extends ChildAppTestSupport {

    static final int ENTRIES = 2000;
    static final int[] POISON = { 0, 1000 };
    static final int MAX_DELIVERIES = 3;
    static final long MIN_IDLE_MS = 3000;

    private ChildApp child;



    @Test
    void poisonIsDeadLetteredAfterMaxDeliveriesWithoutBlockingOrLooping() throws Exception {
        RecordingStreams streams = new RecordingStreams(jedis);
        streams.add(0, ENTRIES, POISON);
        Map<String, String> props = ChildApp.redisAt(redis.host(), redis.port());
        props.put("reliability.consumer", "worker-a");
        props.put("reliability.max-deliveries", Integer.toString(MAX_DELIVERIES));
        props.put("reliability.min-idle-time-ms", Long.toString(MIN_IDLE_MS));
        child = track(ChildApp.start("poison", "256m", props));

        int healthy = ENTRIES - POISON.length;
        await("the healthy entries processed").atMost(Duration.ofSeconds(60))
                .until(() -> streams.tally(ENTRIES).processedOnce() == healthy);
        // a poison entry needs (maxDeliveries - 1) x minIdleTime before it is dead-lettered: the others did not wait
        long deadLettersWhenOthersDone = jedis.xlen(RecordingStreams.DEAD_LETTER);

        await("both poison entries dead-lettered").atMost(Duration.ofSeconds(60))
                .until(() -> jedis.xlen(RecordingStreams.DEAD_LETTER) == POISON.length && streams.pendingCount() == 0);
        // several claim sweeps: a looping entry would be attempted again
        Await.holds("no attempt past maxDeliveries", Duration.ofMillis(3 * MIN_IDLE_MS),
                () -> jedis.xlen(RecordingStreams.POISON_ATTEMPTS) == (long) MAX_DELIVERIES * POISON.length);
        long attempts = jedis.xlen(RecordingStreams.POISON_ATTEMPTS);
        List<StreamEntry> deadLetters = streams.deadLetters();
        child.stopGracefully();

        ReliabilityReport.section("4-poison", """
                ## Poison entries (processing always throws) in the real jar
                | entries | poison entries | maxDeliveries | attempts per poison entry | dead-lettered | healthy entries processed | dead letters when the healthy ones were done | XPENDING at end |
                |---|---|---|---|---|---|---|---|
                | %d | %d | %d | %.1f | %d | %d | %d | %d |

                x-error of the first: `%s`
                """.formatted(ENTRIES, POISON.length, MAX_DELIVERIES, attempts / (double) POISON.length, deadLetters.size(),
                streams.tally(ENTRIES).processedOnce(), deadLettersWhenOthersDone, streams.pendingCount(),
                deadLetters.get(0).getFields().get("x-error")));
        assertEquals(0, deadLettersWhenOthersDone, "healthy entries were held up behind a poison entry");
        assertEquals((long) MAX_DELIVERIES * POISON.length, attempts, "attempts: exactly maxDeliveries per poison entry");
        assertEquals(POISON.length, deadLetters.size());
        for (StreamEntry dead : deadLetters) {
            Map<String, String> f = dead.getFields();
            assertEquals("true", f.get("poison"));
            assertEquals(Integer.toString(MAX_DELIVERIES), f.get("x-delivery-count"));
            assertTrue(f.get("x-error").startsWith("java.lang.IllegalStateException: poison entry n=" + f.get("n") + " always fails"),
                    f.get("x-error"));
            assertEquals(RecordingStreams.ENTRIES, f.get("x-source-stream"));
        }
        assertEquals(0, streams.pendingCount());
    }
}
