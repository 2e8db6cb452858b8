package io.streamroutes.app;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import io.streamroutes.embedded.EmbeddedRedis;
import io.streamroutes.testsupport.JarProcess;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.params.XPendingParams;
import redis.clients.jedis.resps.StreamGroupInfo;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SIGTERM while the analytics route is busy: exit 0 quickly, and every acked entry was really counted. */
class GracefulStopJarIT {

    private static final int EVENTS = 60_000;

    @Test
    void sigtermDuringLoadLeavesNoEntryAckedButUnprocessed() throws Exception {
        try (EmbeddedRedis redis = EmbeddedRedis.start(); Jedis jedis = new Jedis(redis.host(), redis.port())) {
            Pipeline pipeline = jedis.pipelined();
            for (int i = 0; i < EVENTS; i++) {
                Map<String, String> fields = new HashMap<>();
                fields.put("type", i % 2 == 0 ? "order_created" : "order_paid");
                fields.put("order_id", Integer.toString(i / 2));
                fields.put("user_id", Integer.toString(i % 97));
                fields.put("amount", "100");
                pipeline.xadd("business:events", StreamEntryID.NEW_ENTRY, fields);
            }
            pipeline.sync();

            try (JarProcess app = JarProcess.start(List.of("-Xmx512m",
                    "-Dcamel.component.redis-streams.host=" + redis.host(),
                    "-Dcamel.component.redis-streams.port=" + redis.port(),
                    "-Dnotify.enabled=false", "-Dmedia.enabled=false", "-Dintegration.enabled=false",
                    // batches of one entry keep the route as slow as the load is sized for: the stop must come during it
                    "-Danalytics.consumer=worker-1", "-Danalytics.block-ms=200", "-Danalytics.batch-size=1"))) {
                app.awaitOutput(Pattern.compile("Started analytics-events"), 60_000);
                await("2000 processed: the stop comes under load").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
                        .until(() -> processedCount(jedis) >= 2000);
                long stopAsked = System.currentTimeMillis();
                app.terminate();
                assertEquals(0, app.waitForExit(45_000), app.output());
                assertTrue(System.currentTimeMillis() - stopAsked < 30_000, "stopped within the shutdown timeout");
            }

            Set<String> processed = new HashSet<>();
            for (String key : jedis.keys("report:processed:*")) {
                processed.addAll(jedis.smembers(key));
            }
            StreamGroupInfo group = jedis.xinfoGroups("business:events").get(0);
            Set<String> pending = new HashSet<>();
            jedis.xpending("business:events", "analytics", XPendingParams.xPendingParams().count(EVENTS))
                    .forEach(p -> pending.add(p.getID().toString()));
            StreamEntryID lastDelivered = group.getLastDeliveredId();
            int acked = 0;
            for (var entry : jedis.xrange("business:events", (StreamEntryID) null, lastDelivered)) {
                String id = entry.getID().toString();
                if (!pending.contains(id)) {
                    acked++;
                    assertTrue(processed.contains(id), "entry " + id + " was acked but never counted");
                }
            }
            assertTrue(acked > 0, "something was processed before the stop");
            assertTrue(acked < EVENTS, "the stop came during the load (acked " + acked + " of " + EVENTS + ")");
        }
    }

    private static long processedCount(Jedis jedis) {
        long n = 0;
        for (String key : jedis.keys("report:processed:*")) {
            n += jedis.scard(key);
        }
        return n;
    }
}
