package io.streamroutes.app;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import io.streamroutes.embedded.EmbeddedRedis;
import io.streamroutes.testsupport.JarProcess;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.resps.StreamEntry;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two separate application processes in one consumer group on one stream: no entry processed twice while both are
 * healthy, throughput of two against one, and after {@code kill -9} of one the other finishes its pending entries.
 */
class ScaleOutJarIT {

    private static final int BATCH = 10_000;

    private static JarProcess startApp(EmbeddedRedis redis, String consumer) throws Exception {
        JarProcess app = JarProcess.start(List.of("-Xmx256m",
                "-Dcamel.component.redis-streams.host=" + redis.host(),
                "-Dcamel.component.redis-streams.port=" + redis.port(),
                "-Dcamel.main.routes-include-pattern=file:src/test/resources/scaleout/recorder.yaml",
                "-Dscale.consumer=" + consumer));
        app.awaitOutput(Pattern.compile("Started recorder"), 60_000);
        return app;
    }

    private static void addBatch(Jedis jedis, int from) {
        Pipeline pipeline = jedis.pipelined();
        for (int i = from; i < from + BATCH; i++) {
            Map<String, String> fields = new HashMap<>();
            fields.put("n", Integer.toString(i));
            fields.put("type", "order_created");
            pipeline.xadd("scale:events", StreamEntryID.NEW_ENTRY, fields);
        }
        pipeline.sync();
    }

    /** Waits until {@code expected} processings are recorded; returns entries per second. */
    private static double drain(Jedis jedis, long expected, long startedAt) {
        await(expected + " processings recorded").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(20))
                .until(() -> jedis.xlen("scale:processed") >= expected);
        return BATCH * 1000.0 / Math.max(1, System.currentTimeMillis() - startedAt);
    }

    @Test
    void twoProcessesShareTheWorkAndSurviveAKill() throws Exception {
        try (EmbeddedRedis redis = EmbeddedRedis.start(); Jedis jedis = new Jedis(redis.host(), redis.port());
             JarProcess a = startApp(redis, "node-a")) {
            long t = System.currentTimeMillis();
            addBatch(jedis, 0);
            double one = drain(jedis, BATCH, t);

            try (JarProcess b = startApp(redis, "node-b")) {
                t = System.currentTimeMillis();
                addBatch(jedis, BATCH);
                double two = drain(jedis, 2L * BATCH, t);
                Map<String, Integer> seen = processings(jedis);
                assertEquals(2 * BATCH, seen.size(), "every entry processed");
                assertTrue(seen.values().stream().allMatch(c -> c == 1), "no entry processed twice while both were healthy");
                System.out.printf("scale-out: one process %.0f entries/s, two processes %.0f entries/s (ratio %.2f) on %d cores%n",
                        one, two, two / one, Runtime.getRuntime().availableProcessors());

                // kill -9 node-a in the middle of a batch: node-b takes over its pending entries with XAUTOCLAIM
                addBatch(jedis, 2 * BATCH);
                await("a tenth of the batch processed").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(5))
                        .until(() -> jedis.xlen("scale:processed") >= 2L * BATCH + BATCH / 10);
                a.kill();
                await("node-b took over: every entry processed, nothing pending").atMost(Duration.ofSeconds(60))
                        .pollInterval(Duration.ofMillis(200))
                        .until(() -> processings(jedis).size() >= 3 * BATCH && jedis.xpending("scale:events", "scalers").getTotal() == 0);
                Map<String, Integer> after = processings(jedis);
                long duplicates = after.values().stream().filter(c -> c > 1).count();
                assertEquals(3 * BATCH, after.size(), "0 lost after kill -9");
                assertEquals(0, jedis.xpending("scale:events", "scalers").getTotal(), "nothing left pending");
                assertTrue(duplicates <= 10, "duplicates beyond node-a's in-flight window (count=10): " + duplicates);
                System.out.printf("scale-out: after kill -9 of one process: %d entries, 0 lost, %d processed twice%n", 3 * BATCH, duplicates);
                assertTrue(b.output().contains("node-b"), "node-b was the survivor");
            }
        }
    }

    private static Map<String, Integer> processings(Jedis jedis) {
        Map<String, Integer> counts = new HashMap<>();
        for (StreamEntry e : jedis.xrange("scale:processed", (StreamEntryID) null, (StreamEntryID) null)) {
            counts.merge(e.getFields().get("n"), 1, Integer::sum);
        }
        return counts;
    }
}
