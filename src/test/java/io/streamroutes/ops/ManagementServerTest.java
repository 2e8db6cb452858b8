package io.streamroutes.ops;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.management.ObjectName;

import ch.qos.logback.classic.Level;
import io.streamroutes.embedded.EmbeddedRedis;
import io.streamroutes.testsupport.EmbeddedRedisExtension;
import io.streamroutes.testsupport.LoggerCapture;
import io.streamroutes.testsupport.ScenarioApp;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.support.PluginHelper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.StreamEntryID;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Camel's management server as the shipped application.properties configures it (on a free port): health probes,
 * Prometheus metrics with the redis_streams_* meters, Jolokia and the redis-streams dev console.
 */
class ManagementServerTest {

    @RegisterExtension
    static final EmbeddedRedisExtension redis = new EmbeddedRedisExtension();
    static final String LABELS = "{group=\"analytics\",routeId=\"analytics-events\",stream=\"business:events\"}";
    static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static ScenarioApp app;
    static String base;

    @BeforeAll
    static void start() throws Exception {
        int port = EmbeddedRedis.freePort();
        base = "http://127.0.0.1:" + port;
        app = ScenarioApp.start(redis.host(), redis.port(), Map.of("camel.management.enabled", "true",
                "camel.management.port", Integer.toString(port), "analytics.block-ms", "100"), "routes/analytics.yaml");
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    static HttpResponse<String> get(String path, String accept) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).header("Accept", accept).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> post(String path, String json) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** As Prometheus asks (a bare text/plain is refused with 406: the route produces text/plain; version=0.0.4). */
    static HttpResponse<String> scrape() throws Exception {
        return get("/observe/metrics", "application/openmetrics-text;version=1.0.0;q=0.5,text/plain;version=0.0.4;q=0.5,*/*;q=0.1");
    }

    static double metric(String body, String name) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name + LABELS) + " (\\S+)$").matcher(body);
        return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
    }

    @Test
    void readyAndLiveProbes() throws Exception {
        await().atMost(Duration.ofSeconds(15)).until(() -> get("/observe/health/ready", "application/json").statusCode() == 200);
        HttpResponse<String> ready = get("/observe/health/ready", "application/json");
        assertTrue(ready.body().contains("UP"), ready.body());
        assertEquals(200, get("/observe/health/live", "application/json").statusCode());
        HttpResponse<String> all = get("/observe/health", "application/json");
        assertEquals(200, all.statusCode(), all.body());
    }

    @Test
    void metricsKeepCountingAfterARouteRestart() throws Exception {
        try (Jedis jedis = new Jedis(redis.host(), redis.port());
             LoggerCapture micrometer = new LoggerCapture("io.micrometer.core.instrument.MeterRegistry", Level.DEBUG)) {
            jedis.xadd("business:events", StreamEntryID.NEW_ENTRY, Map.of("type", "order_created", "order_id", "1001", "user_id", "123"));
            jedis.xadd("business:events", StreamEntryID.NEW_ENTRY, Map.of("type", "order_paid", "order_id", "1001"));
            await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
                HttpResponse<String> r = scrape();
                String scraped = r.statusCode() + " " + r.headers().map() + "\n" + r.body();
                assertEquals(1.0, metric(scraped, "redis_streams_dead_lettered_total"), scraped);
            });
            System.gc(); // the gauges must survive a collection (Micrometer holds gauges weakly by default)
            String body = scrape().body();
            assertEquals(2.0, metric(body, "redis_streams_delivered_total"), body);
            assertEquals(1.0, metric(body, "redis_streams_acked_total"), body);
            assertEquals(1.0, metric(body, "redis_streams_failed_total") + metric(body, "redis_streams_acked_total") - 1.0, body);
            assertEquals(0.0, metric(body, "redis_streams_claimed_total"), body);
            assertEquals(0.0, metric(body, "redis_streams_pending"), body);
            assertEquals(0.0, metric(body, "redis_streams_lag"), body);
            assertEquals(0.0, metric(body, "redis_streams_oldest_pending_age_seconds"), body);
            assertTrue(metric(body, "redis_streams_dead_letter_length") >= 1.0, body);
            assertEquals(0.0, metric(body, "redis_streams_retry_waiting"), body);
            assertEquals(0.0, metric(body, "redis_streams_next_retry_timestamp_seconds"), body);
            assertEquals(0.0, metric(body, "redis_streams_paused"), body);
            assertTrue(body.contains("camel_exchanges_total"), "Camel route meters: " + body);
            assertTrue(body.contains("jvm_memory_used_bytes"), body);

            // a JMX restart of the route (the route MBean's stop and start): Camel starts a new consumer, whose counters
            // carry on from the first one's (a Prometheus counter only goes down when the process restarts)
            ObjectName route = new ObjectName("org.apache.camel:context=redis-stream-routes,type=routes,name=\"analytics-events\"");
            ManagementFactory.getPlatformMBeanServer().invoke(route, "stop", null, null);
            ManagementFactory.getPlatformMBeanServer().invoke(route, "start", null, null);
            jedis.xadd("business:events", StreamEntryID.NEW_ENTRY, Map.of("type", "order_created", "order_id", "1002", "user_id", "124"));
            await().atMost(Duration.ofSeconds(15)).until(() -> metric(scrape().body(), "redis_streams_delivered_total") == 3.0
                                                                && metric(scrape().body(), "redis_streams_acked_total") == 2.0);
            assertCountersAgree(3, 2, 1);
            assertEquals(0.0, inflight(scrape().body()), "Camel's in-flight gauge of the restarted route");

            // a --dev reload of the route file: a new route and consumer, the counters still carry on
            reloadRouteFile("routes/analytics.yaml");
            jedis.xadd("business:events", StreamEntryID.NEW_ENTRY, Map.of("type", "order_created", "order_id", "1003", "user_id", "125"));
            await().atMost(Duration.ofSeconds(15)).until(() -> metric(scrape().body(), "redis_streams_acked_total") == 3.0
                                                                && metric(scrape().body(), "redis_streams_delivered_total") == 4.0);
            assertEquals(1, count(scrape().body(), "redis_streams_delivered_total{"), "one series per consumer endpoint");
            assertCountersAgree(4, 3, 1);
            assertEquals(0.0, inflight(scrape().body()), "Camel's in-flight gauge of the reloaded route");
            // every gauge (ours and Camel's) registered once: Micrometer warns at the first double registration and
            // logs the later ones at DEBUG
            assertEquals(List.of(), micrometer.messages("already registered"));
        }
    }

    static double inflight(String body) {
        Matcher m = Pattern.compile("(?m)^camel_exchanges_inflight\\{[^}]*routeId=\"analytics-events\"[^}]*} (\\S+)$").matcher(body);
        return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
    }

    /** The Prometheus text and the JMX attributes (read through Jolokia) show the same counts. */
    private static void assertCountersAgree(long delivered, long acked, long deadLettered) throws Exception {
        String body = scrape().body();
        assertEquals(delivered, metric(body, "redis_streams_delivered_total"), body);
        assertEquals(acked, metric(body, "redis_streams_acked_total"), body);
        assertEquals(deadLettered, metric(body, "redis_streams_dead_lettered_total"), body);
        String mbean = "io.streamroutes:type=stream,key=%22business:events%22,group=%22analytics%22";
        for (Map.Entry<String, Long> attribute : Map.of("Delivered", delivered, "Acked", acked, "DeadLettered", deadLettered).entrySet()) {
            String read = get("/observe/jolokia/read/" + mbean + "/" + attribute.getKey(), "application/json").body();
            assertTrue(read.contains("\"value\":" + attribute.getValue() + ","), attribute.getKey() + ": " + read);
        }
    }

    /** What the route reload of --dev does: the file's routes are stopped and removed, then loaded again. */
    private static void reloadRouteFile(String file) throws Exception {
        CamelContext context = app.context();
        for (Route route : List.copyOf(context.getRoutes())) {
            if (route.getSourceResource() != null && route.getSourceResource().getLocation().endsWith(file)) {
                context.getRouteController().stopRoute(route.getRouteId());
                context.removeRoute(route.getRouteId());
            }
        }
        PluginHelper.getRoutesLoader(context).updateRoutes(PluginHelper.getResourceLoader(context).resolveResource("file:" + file));
    }

    @Test
    void jolokiaReadsOurMBean() throws Exception {
        String mbean = "io.streamroutes:type=stream,key=%22business:events%22,group=%22analytics%22";
        HttpResponse<String> read = get("/observe/jolokia/read/" + mbean + "/StreamKey", "application/json");
        assertEquals(200, read.statusCode(), read.body());
        assertTrue(read.body().contains("\"value\":\"business:events\""), read.body());
        assertTrue(read.body().contains("\"status\":200"), read.body());
        // read-only with the shipped settings: list, search and version answer; exec and write are refused, over GET and POST
        for (String path : new String[] { "/observe/jolokia/list/io.streamroutes", "/observe/jolokia/search/io.streamroutes:*",
                "/observe/jolokia/version" }) {
            HttpResponse<String> answer = get(path, "application/json");
            assertTrue(answer.body().contains("\"status\":200"), path + ": " + answer.body());
        }
        HttpResponse<String> exec = get("/observe/jolokia/exec/" + mbean + "/listDeadLetters(int)/5", "application/json");
        assertTrue(exec.body().contains("\"status\":403") && !exec.body().contains("\"value\""), exec.body());
        HttpResponse<String> stop = post("/observe/jolokia", "{\"type\":\"exec\",\"mbean\":\"org.apache.camel:context=redis-stream-routes,"
                                                            + "type=routes,name=\\\"analytics-events\\\"\",\"operation\":\"stop()\"}");
        assertTrue(stop.body().contains("\"status\":403"), stop.body());
        HttpResponse<String> write = post("/observe/jolokia", "{\"type\":\"write\",\"mbean\":\"org.apache.camel:context=redis-stream-routes,"
                                                             + "type=context,name=\\\"redis-stream-routes\\\"\",\"attribute\":\"Tracing\",\"value\":true}");
        assertTrue(write.body().contains("\"status\":403"), write.body());
        assertEquals("Started", app.context().getRouteController().getRouteStatus("analytics-events").name());
        assertFalse(app.context().isTracing());
        HttpResponse<String> routeStatus = get("/observe/jolokia/read/org.apache.camel:context=redis-stream-routes,type=routes,"
                                               + "name=%22analytics-events%22/State", "application/json");
        assertTrue(routeStatus.body().contains("\"value\":\"Started\""), routeStatus.body());
        // a page of another site cannot read the answer through the operator's browser (jolokia-access.xml, CORS)
        HttpResponse<String> foreign = http.send(HttpRequest.newBuilder(URI.create(base + "/observe/jolokia/read/" + mbean + "/StreamKey"))
                .header("Origin", "http://evil.example").build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(foreign.headers().firstValue("Access-Control-Allow-Origin").filter(o -> o.equals("http://evil.example")
                                                                                          || o.equals("*")).isEmpty(), foreign.headers().map().toString());
    }

    @Test
    void devConsoleAsTextAndJson() throws Exception {
        String member = "[\"later-1\",\"type\",\"order_created\"]";
        long due = System.currentTimeMillis() / 1000 * 1000 + 3_600_000;
        try (Jedis jedis = new Jedis(redis.host(), redis.port())) {
            jedis.zadd("{business:events}:scheduled", due, member);
            HttpResponse<String> text = get("/q/dev/redis-streams", "text/plain");
            assertEquals(200, text.statusCode(), text.body());
            assertTrue(text.body().contains("Stream: business:events") && text.body().contains("Group: analytics"), text.body());
            assertTrue(text.body().contains("Scheduled: 1  Next due: " + java.time.Instant.ofEpochMilli(due)), text.body());
            HttpResponse<String> json = get("/q/dev/redis-streams", "application/json");
            assertTrue(json.body().contains("\"stream\":\"business:events\"") && json.body().contains("\"deadLetterStream\""), json.body());
            assertTrue(json.body().contains("\"scheduled\":1") && json.body().contains("\"nextScheduledAt\":\"" + java.time.Instant.ofEpochMilli(due)),
                    json.body());
        } finally {
            try (Jedis jedis = new Jedis(redis.host(), redis.port())) {
                jedis.zrem("{business:events}:scheduled", member);
            }
        }
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }
}
