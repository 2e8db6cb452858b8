package io.streamroutes.app;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import io.streamroutes.embedded.EmbeddedRedis;
import io.streamroutes.testsupport.ScenarioApp;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.StreamEntryID;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code metrics.prometheus.port}: the consumers' counters and Camel's route metrics over HTTP, in Prometheus format. */
class PrometheusMetricsTest {

    @Test
    void countersOfTheStreamsAndRoutesAreScraped() throws Exception {
        int port = EmbeddedRedis.freePort();
        try (EmbeddedRedis redis = EmbeddedRedis.start(); Jedis jedis = new Jedis(redis.host(), redis.port());
             ScenarioApp app = ScenarioApp.start(redis.host(), redis.port(),
                     Map.of("metrics.prometheus.port", Integer.toString(port), "analytics.block-ms", "100"), "routes/analytics.yaml")) {
            jedis.xadd("business:events", StreamEntryID.NEW_ENTRY, Map.of("type", "order_created", "order_id", "1001", "user_id", "123"));
            jedis.xadd("business:events", StreamEntryID.NEW_ENTRY, Map.of("type", "order_paid", "order_id", "1001"));
            long deadline = System.currentTimeMillis() + 10_000;
            String body = "";
            while (System.currentTimeMillis() < deadline) {
                body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                if (body.contains("redis_streams_dead_lettered_total{group=\"analytics\",routeId=\"analytics-events\",stream=\"business:events\"} 1.0")) {
                    break;
                }
                Thread.sleep(100);
            }
            // meters must survive a garbage collection (the pending gauge once read NaN after one)
            System.gc();
            body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertTrue(body.contains("redis_streams_delivered_total{group=\"analytics\",routeId=\"analytics-events\",stream=\"business:events\"} 2.0"), body);
            assertTrue(body.contains("redis_streams_acked_total{group=\"analytics\",routeId=\"analytics-events\",stream=\"business:events\"} 1.0"), body);
            assertTrue(body.contains("redis_streams_dead_lettered_total{group=\"analytics\",routeId=\"analytics-events\",stream=\"business:events\"} 1.0"),
                    "the order_paid without user_id is malformed: " + body);
            assertTrue(body.contains("redis_streams_pending{group=\"analytics\",routeId=\"analytics-events\",stream=\"business:events\"} 0.0"), body);
            assertTrue(body.contains("camel_exchanges_total") || body.contains("camel_route"), "Camel route metrics: " + body);
            assertTrue(body.contains("jvm_memory_used_bytes"), body);
        }
    }
}
