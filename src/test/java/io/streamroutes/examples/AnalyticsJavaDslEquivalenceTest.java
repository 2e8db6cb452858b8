package io.streamroutes.examples;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.streamroutes.analytics.ReportReplay;
import io.streamroutes.testsupport.EmbeddedRedisExtension;
import io.streamroutes.testsupport.ScenarioApp;
import io.streamroutes.testsupport.StderrCapture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.resps.StreamGroupInfo;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * routes/analytics.yaml and its Java DSL twin {@link AnalyticsRoutes} on the same input leave the same data in Redis:
 * reports, bookkeeping, dead letters, nothing pending; and the replay gives the same summary.
 */
class AnalyticsJavaDslEquivalenceTest {

    private static final Map<String, String> FAST = Map.of(
            "analytics.consumer", "worker-1",
            "analytics.block-ms", "200",
            "analytics.min-idle-time-ms", "400",
            "analytics.claim-interval-ms", "200",
            "analytics.max-deliveries", "3");

    @RegisterExtension
    static final EmbeddedRedisExtension redis = new EmbeddedRedisExtension();

    @Test
    void yamlAndJavaRoutesLeaveIdenticalResults() throws Exception {
        Map<String, String> yaml = runOnSameInput(FAST, "routes/analytics.yaml");
        Map<String, String> java = runOnSameInput(javaRoutes());

        assertTrue(yaml.keySet().stream().anyMatch(k -> k.startsWith("report:daily:")), "reports were written: " + yaml);
        assertTrue(yaml.keySet().stream().anyMatch(k -> k.startsWith("business:dead-letter")), "dead letters were written: " + yaml);
        assertEquals(yaml, java);
        assertTrue(yaml.get("error handler log lines").matches("WARN=[1-9]\\d* ERROR=0"), yaml.get("error handler log lines"));
    }

    @Test
    void javaRoutesAreNotLoadedByDefault() throws Exception {
        try (Jedis jedis = new Jedis(redis.host(), redis.port());
             ScenarioApp app = ScenarioApp.start(redis.host(), redis.port(), Map.of("media.enabled", "false"), "routes/media.yaml")) {
            assertNotNull(app.context().getRoute("media-tasks"));
            assertNull(app.context().getRoute("analytics-events"), "the Java example was picked up by classpath scanning");
        }
    }

    private static Map<String, String> javaRoutes() {
        Map<String, String> props = new TreeMap<>(FAST);
        props.put("camel.main.routes-builder-classes", AnalyticsRoutes.class.getName());
        return props;
    }

    /** Feeds the same entries (fixed ids) to a fresh Redis, waits until all are handled, and returns what is stored. */
    private static Map<String, String> runOnSameInput(Map<String, String> props, String... routeFiles) throws Exception {
        try (Jedis jedis = new Jedis(redis.host(), redis.port())) {
            jedis.flushAll();
            try (StderrCapture log = new StderrCapture();
                 ScenarioApp app = ScenarioApp.start(redis.host(), redis.port(), props, routeFiles)) {
                xadd(jedis, "1700000000000-0", "type", "order_created", "order_id", "1001", "user_id", "123");
                xadd(jedis, "1700000000000-1", "type", "order_paid", "order_id", "1001", "user_id", "123", "amount", "1999");
                xadd(jedis, "1700006400000-0", "type", "order_created", "order_id", "1002", "user_id", "124");  // next UTC day
                xadd(jedis, "1700006400000-1", "type", "page_viewed", "user_id", "125");                       // ignored
                xadd(jedis, "1700006400000-2", "type", "order_paid", "order_id", "1002", "user_id", "124", "amount", "12.50");
                xadd(jedis, "1700006400000-3", "type", "order_created", "user_id", "126");                     // no order_id
                awaitAllHandled(jedis, "1700006400000-3");

                ReportReplay replay = app.context().getRegistry().lookupByNameAndType("reportReplay", ReportReplay.class);
                String summary = replay.replay().toString().replaceAll("\\d+ ms", "_ ms");
                Map<String, String> stored = snapshot(jedis);
                stored.put("replay summary", summary);
                stored.put("reports after replay", snapshot(jedis).toString());
                // the malformed event fails alone and is dead-lettered: the consumer says so once, at WARN; no batch failed
                stored.put("error handler log lines", "WARN=" + log.count(" WARN ", "moved to dead-letter stream") + " ERROR="
                                                     + log.count(" ERROR ", "DefaultErrorHandler"));
                return stored;
            }
        }
    }

    private static void xadd(Jedis jedis, String id, String... fieldsAndValues) {
        Map<String, String> fields = new java.util.LinkedHashMap<>();
        for (int i = 0; i < fieldsAndValues.length; i += 2) {
            fields.put(fieldsAndValues[i], fieldsAndValues[i + 1]);
        }
        jedis.xadd("business:events", new StreamEntryID(id), fields);
    }

    private static void awaitAllHandled(Jedis jedis, String lastId) {
        await("entries up to " + lastId + " handled").atMost(Duration.ofSeconds(20)).until(() -> {
            List<StreamGroupInfo> groups = jedis.exists("business:events") ? jedis.xinfoGroups("business:events") : List.of();
            return !groups.isEmpty() && groups.get(0).getLastDeliveredId().toString().equals(lastId) && groups.get(0).getPending() == 0;
        });
    }

    /** Every key but the input stream, with a type-independent rendering; dead letters without their timestamp. */
    private static Map<String, String> snapshot(Jedis jedis) {
        Map<String, String> stored = new TreeMap<>();
        for (String key : jedis.keys("*")) {
            switch (jedis.type(key)) {
                case "hash" -> stored.put(key, new TreeMap<>(jedis.hgetAll(key)).toString());
                case "set" -> stored.put(key, new java.util.TreeSet<>(jedis.smembers(key)).toString());
                case "stream" -> {
                    if (!key.equals("business:events")) {
                        jedis.xrange(key, (StreamEntryID) null, null).forEach(e -> {
                            Map<String, String> fields = new TreeMap<>(e.getFields());
                            fields.remove("x-failed-at");
                            stored.put(key + " " + fields.get("x-source-id"), fields.toString());
                        });
                    }
                }
                default -> stored.put(key, jedis.type(key));
            }
        }
        return stored;
    }
}
