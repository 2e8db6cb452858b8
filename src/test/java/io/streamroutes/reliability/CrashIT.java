package io.streamroutes.reliability;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * kill -9 of the real jar, three times at random points of a long stream, restarted each time: once under the same
 * consumer name (it re-reads its own pending entries), once under another name (the dead consumer's pending entries
 * come back only through XAUTOCLAIM). Nothing may be lost; duplicates are bounded by the in-flight window.
 * Entries: {@code -Dreliability.entries} (20 000 by default, 100 000 with {@code -Preliability-long}).
 */
class CrashIT extends ChildAppTestSupport {

    static final int ENTRIES = Integer.getInteger("reliability.entries", 20_000);
    /** XREADGROUP COUNT of the route: at most this many entries are processed but not yet acked per consumer. */
    static final int IN_FLIGHT = 10;
    /** Consumer name of each run; run i+1 starts after kill i. Run 2 is the only one named worker-b. */
    static final List<String> RUNS = List.of("worker-a", "worker-a", "worker-b", "worker-a");




    @Test
    void threeKillsLoseNothingAndDuplicateAtMostTheInFlightWindow() throws Exception {
        long seed = Long.getLong("reliability.seed", System.nanoTime());
        Random random = new Random(seed);
        RecordingStreams streams = new RecordingStreams(jedis);
        streams.add(0, ENTRIES);
        long started = System.nanoTime();
        int kills = RUNS.size() - 1;
        List<String> killNotes = new ArrayList<>();
        for (int run = 0; run < RUNS.size(); run++) {
            ChildApp child = startChild(run);
            if (run == kills) {
                break;
            }
            // a random point inside the run's quarter of the stream, so every kill hits a busy consumer
            long target = (long) (ENTRIES * (run + 0.2 + 0.6 * random.nextDouble()) / RUNS.size());
            await("processed >= " + target + " in run " + run).atMost(Duration.ofSeconds(120))
                    .until(() -> streams.processedCount() >= target);
            child.kill();
            Map<String, Long> pending = streams.pendingByConsumer();
            killNotes.add("kill " + (run + 1) + " of " + RUNS.get(run) + " (pid " + child.pid() + ") after "
                          + streams.processedCount() + " recorded, pending then " + pending);
        }
        await("every entry processed and nothing pending").atMost(Duration.ofMillis(60_000 + ENTRIES * 2L))
                .until(() -> streams.pendingCount() == 0 && streams.tally(ENTRIES).complete());
        long seconds = (System.nanoTime() - started) / 1_000_000_000L;
        lastChild().stopGracefully();

        RecordingStreams.Tally tally = streams.tally(ENTRIES);
        ReliabilityReport.section("1-crash", """
                ## Crash: kill -9 of the real jar
                | entries | kills | lost | duplicates | allowed duplicates (kills x in-flight) | dead-lettered | XPENDING at end | seconds | seed |
                |---|---|---|---|---|---|---|---|---|
                | %d | %d | %d | %d | %d | %d | %d | %d | %d |

                %s
                """.formatted(ENTRIES, kills, tally.lost(), tally.duplicates(), kills * IN_FLIGHT, tally.deadLettered(),
                streams.pendingCount(), seconds, seed, String.join("  \n", killNotes)));
        assertEquals(0, tally.lost(), "entries neither processed nor dead-lettered");
        assertEquals(0, streams.pendingCount(), "XPENDING after the last run");
        assertTrue(tally.duplicates() <= kills * IN_FLIGHT,
                "duplicates " + tally.duplicates() + " exceed " + kills + " kills x " + IN_FLIGHT + " in flight");
    }

    private ChildApp startChild(int run) throws Exception {
        Map<String, String> props = ChildApp.redisAt(redis.host(), redis.port());
        props.put("reliability.consumer", RUNS.get(run));
        props.put("reliability.count", Integer.toString(IN_FLIGHT));
        // a kill can interrupt the same entry more than once: never dead-letter for that in this test
        props.put("reliability.max-deliveries", "100");
        ChildApp child = track(ChildApp.start("crash-run-" + run, "256m", props));
        return child;
    }
}
