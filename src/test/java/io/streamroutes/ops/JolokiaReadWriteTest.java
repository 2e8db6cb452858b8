package io.streamroutes.ops;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import io.streamroutes.embedded.EmbeddedRedis;
import io.streamroutes.testsupport.EmbeddedRedisExtension;
import io.streamroutes.testsupport.ScenarioApp;
import org.apache.camel.ServiceStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code management.jolokia.read-only = false}: Jolokia also runs operations (exec) and changes attributes (write). */
class JolokiaReadWriteTest {

    @RegisterExtension
    static final EmbeddedRedisExtension redis = new EmbeddedRedisExtension();
    static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void execAndWriteWorkWhenReadOnlyIsOff() throws Exception {
        int port = EmbeddedRedis.freePort();
        String base = "http://127.0.0.1:" + port + "/observe/jolokia";
        try (ScenarioApp app = ScenarioApp.start(redis.host(), redis.port(), Map.of("camel.management.enabled", "true",
                "camel.management.port", Integer.toString(port), "management.jolokia.read-only", "false"), "routes/analytics.yaml")) {
            String mbean = "io.streamroutes:type=stream,key=%22business:events%22,group=%22analytics%22";
            String list = get(base + "/exec/" + mbean + "/listDeadLetters(int)/5");
            assertTrue(list.contains("\"status\":200"), list);
            String write = get(base + "/write/org.apache.camel:context=redis-stream-routes,type=context,name=%22redis-stream-routes%22/Tracing/true");
            assertTrue(write.contains("\"status\":200"), write);
            assertTrue(app.context().isTracing());
            String stop = get(base + "/exec/org.apache.camel:context=redis-stream-routes,type=routes,name=%22analytics-events%22/stop()");
            assertTrue(stop.contains("\"status\":200"), stop);
            await().atMost(Duration.ofSeconds(15)).until(() -> app.context().getRouteController().getRouteStatus("analytics-events") == ServiceStatus.Stopped);
        }
    }

    private static String get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }
}
