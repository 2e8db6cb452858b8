package io.streamroutes.reliability;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.streamroutes.embedded.EmbeddedRedis;
import io.streamroutes.testsupport.Await;
import io.streamroutes.testsupport.ScenarioApp;
import io.streamroutes.testsupport.StderrCapture;
import org.apache.camel.ServiceStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.params.XPendingParams;
import redis.clients.jedis.params.XAddParams;
import redis.clients.jedis.resps.StreamEntry;

/**
 * Hostile input and hostile Redis state against the real integration route (routes/integration.yaml), beyond what
 * IntegrationScenarioTest covers: huge, binary and very wide entries, then a key of the wrong type, a destroyed group
 * and trimmed-away pending entries while the app runs. Each bad entry must end in the dead-letter stream with a
 * clear error; the app keeps running and the next good entry is charged.
 */
class HostileInputTest {

    static final String TASKS = "integration:tasks";
    static final String DEAD = "integration:dead-letter";
    static final String RESULTS = "integration:results";
    static final String GROUP = "integration-workers";

    EmbeddedRedis redis;
    Jedis jedis;
    WireMockServer provider;
    ScenarioApp app;
    StderrCapture log;

    @BeforeEach
    void start() throws Exception {
        redis = EmbeddedRedis.start();
        jedis = new Jedis(redis.host(), redis.port());
        provider = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        provider.start();
        provider.stubFor(post("/v1/charges").willReturn(aResponse().withStatus(200).withBody("{\"id\":\"ch_ok\"}")));
        log = new StderrCapture();
        Map<String, String> props = new HashMap<>();
        props.put("integration.provider.stripe.url", "http://127.0.0.1:" + provider.port());
        props.put("integration.block-ms", "200");
        props.put("integration.min-idle-time-ms", "500");
        props.put("integration.claim-interval-ms", "200");
        app = ScenarioApp.start(redis.host(), redis.port(), props, "routes/integration.yaml");
    }

    @AfterEach
    void stop() {
        if (app != null) {
            app.close();
        }
        if (log != null) {
            log.close();
        }
        provider.stop();
        jedis.close();
        redis.close();
    }

    String xadd(Map<String, String> fields) {
        return jedis.xadd(TASKS, StreamEntryID.NEW_ENTRY, fields).toString();
    }

    String goodCharge() {
        return xadd(Map.of("provider", "stripe", "action", "create_charge", "user_id", "7", "amount", "100"));
    }

    void awaitCharged(String id) throws InterruptedException {
        await("good entry " + id + " charged").atMost(Duration.ofSeconds(15)).until(() -> jedis.xrange(RESULTS, "-", "+").stream()
                .anyMatch(r -> r.getFields().containsValue(id)));
    }

    @Test
    void badEntriesAreDeadLetteredWithAClearErrorAndTheAppKeepsCharging() throws Exception {
        Map<String, String> expected = new LinkedHashMap<>();
        String megabyte = "9".repeat(1 << 20);
        expected.put(xadd(Map.of("provider", "stripe", "action", "create_charge", "user_id", "1", "amount", megabyte)),
                "invalid amount");
        expected.put(xadd(Map.of("provider", "stripe", "action", "create_charge", "user_id", "1", "note", "x".repeat(1 << 20))),
                "task without amount");
        Map<String, String> wide = new LinkedHashMap<>();
        for (int i = 0; i < 1000; i++) {
            wide.put("field" + i, "v" + i);
        }
        expected.put(xadd(wide), "task without provider");
        expected.put(xadd(Map.of("unrelated", "1")), "task without provider");
        byte[] binaryProvider = { (byte) 0xff, (byte) 0xfe, 0, (byte) 0xc3, 0x28, '\r', '\n' };
        jedis.xadd(TASKS.getBytes(StandardCharsets.UTF_8), XAddParams.xAddParams(),
                Map.of("provider".getBytes(StandardCharsets.UTF_8), binaryProvider,
                        "action".getBytes(StandardCharsets.UTF_8), "create_charge".getBytes(StandardCharsets.UTF_8),
                        "amount".getBytes(StandardCharsets.UTF_8), "100".getBytes(StandardCharsets.UTF_8)));
        String binaryId = lastId();
        expected.put(binaryId, "unknown provider");
        String good = goodCharge();

        awaitCharged(good);
        await("bad entries dead-lettered").atMost(Duration.ofSeconds(15)).until(() -> jedis.xlen(DEAD) == expected.size());
        List<String> errors = new ArrayList<>();
        for (StreamEntry dead : jedis.xrange(DEAD, "-", "+")) {
            String error = dead.getFields().get("x-error");
            errors.add(error.length() > 120 ? error.substring(0, 120) + "..." : error);
            assertTrue(error.contains(expected.get(dead.getFields().get("x-source-id"))), error);
            assertTrue(error.getBytes(StandardCharsets.UTF_8).length <= 1024, "x-error is cut to 1 KB");
        }
        // the binary value is kept byte for byte in the dead letter
        assertArrayEquals(binaryProvider, deadLetterField(binaryId, "provider"));
        // the good entry's result is written before its exchange completes; its ack follows with the next read
        await("all acked").atMost(Duration.ofSeconds(5)).until(() -> jedis.xpending(TASKS, GROUP).getTotal() == 0);
        assertEquals(ServiceStatus.Started, app.context().getRouteController().getRouteStatus("integration"));
        assertEquals(1, provider.getAllServeEvents().size(), "only the good entry reached the provider");
        // a failure the consumer takes care of (dead letter, or pending for a retry) is one WARN line, never an ERROR
        assertEquals(0, log.count(" ERROR ", "DefaultErrorHandler"), "Camel's error handler logged at ERROR");
        assertTrue(log.count(" WARN ", "DefaultErrorHandler", "Failed delivery") >= expected.size());

        ReliabilityReport.section("6-hostile-input", """
                ## Hostile entries against routes/integration.yaml (in-process app, real Redis, WireMock provider)
                | bad entries tried | dead-lettered | pending at end | provider calls (good entry only) |
                |---|---|---|---|
                | %d | %d | 0 | 1 |

                Tried: 1 MB amount, 1 MB extra field without amount, 1000 fields, no known field, non-UTF-8/NUL/CR-LF bytes as provider.
                x-error values: %s
                """.formatted(expected.size(), jedis.xlen(DEAD), String.join(" | ", errors)));
    }

    private String lastId() {
        return jedis.xrevrange(TASKS, "+", "-", 1).get(0).getID().toString();
    }

    private byte[] deadLetterField(String sourceId, String field) {
        for (var entry : jedis.xrange(DEAD.getBytes(StandardCharsets.UTF_8), "-".getBytes(), "+".getBytes())) {
            List<?> fields = (List<?>) ((List<?>) entry).get(1);
            Map<String, byte[]> map = new HashMap<>();
            for (int i = 0; i + 1 < fields.size(); i += 2) {
                map.put(new String((byte[]) fields.get(i), StandardCharsets.UTF_8), (byte[]) fields.get(i + 1));
            }
            if (sourceId.equals(new String(map.get("x-source-id"), StandardCharsets.UTF_8))) {
                return map.get(field);
            }
        }
        throw new AssertionError("no dead letter for " + sourceId);
    }

    @Test
    void wrongKeyTypeDestroyedGroupAndTrimmedPendingEntriesAreSurvived() throws Exception {
        awaitCharged(goodCharge());

        // the stream key replaced by a string while the consumer runs
        jedis.del(TASKS);
        jedis.set(TASKS, "not a stream");
        await("WRONGTYPE reported").atMost(Duration.ofSeconds(10)).until(() -> log.count("WARN", "does not hold a stream") > 0);
        // several retries: still one line
        Await.holds("one line for the wrong-type outage", Duration.ofMillis(1500),
                () -> log.count("WARN", "does not hold a stream") == 1);
        long wrongTypeLines = log.count("WARN", "does not hold a stream");
        jedis.del(TASKS); // gone: the group is re-created with MKSTREAM
        awaitCharged(goodCharge());

        // the group destroyed while the consumer runs
        String[] groupGone = { "WARN", "consumer group '" + GROUP + "'", "is gone" };
        long groupLinesBefore = log.count(groupGone);
        jedis.xgroupDestroy(TASKS, GROUP);
        // an entry added before the group is back would rightly never be read (re-created at $)
        await("group gone reported and re-created").atMost(Duration.ofSeconds(10))
                .until(() -> log.count(groupGone) > groupLinesBefore && !jedis.xinfoGroups(TASKS).isEmpty());
        awaitCharged(goodCharge());
        long groupLines = log.count(groupGone) - groupLinesBefore;

        // pending entries trimmed away: the provider fails, the entries stay pending, then the stream is trimmed
        provider.resetAll();
        provider.stubFor(post("/v1/charges").willReturn(aResponse().withStatus(503)));
        String first = goodCharge();
        String second = goodCharge();
        // both delivered (and failed or waiting), and nothing else pending: entries charged before may still await their ack
        await("two pending").atMost(Duration.ofSeconds(10))
                .until(() -> jedis.xpending(TASKS, GROUP, XPendingParams.xPendingParams().count(10))
                .stream().map(p -> p.getID().toString()).collect(java.util.stream.Collectors.toSet()).equals(java.util.Set.of(first, second)));
        jedis.xtrim(TASKS, 0, false);
        await("trimmed pending entries dropped").atMost(Duration.ofSeconds(10)).until(() -> jedis.xpending(TASKS, GROUP).getTotal() == 0);
        // the line follows the acknowledgement
        await("trimmed entries logged").atMost(Duration.ofSeconds(5))
                .until(() -> log.count("WARN", "no longer exists (deleted or trimmed)") >= 2);
        long trimmedLines = log.count("WARN", "no longer exists (deleted or trimmed)");
        provider.resetAll();
        provider.stubFor(post("/v1/charges").willReturn(aResponse().withStatus(200).withBody("{\"id\":\"ch_ok\"}")));
        awaitCharged(goodCharge());

        ReliabilityReport.section("7-hostile-redis-state", """
                ## Hostile Redis state under routes/integration.yaml
                | situation | outcome | WARN lines |
                |---|---|---|
                | key replaced by a string while running | retried with backoff, resumed once the key was a stream again | %d |
                | XGROUP DESTROY while running | group re-created, next entry charged | %d |
                | 2 pending entries trimmed away (XTRIM MAXLEN 0) | acknowledged and logged, next entry charged | %d |
                """.formatted(wrongTypeLines, groupLines, trimmedLines));
        assertEquals(1, wrongTypeLines, "one line for the wrong-type outage");
        assertEquals(1, groupLines, "one line for the destroyed group");
        assertEquals(2, trimmedLines, "one line per trimmed pending entry");
        assertEquals(ServiceStatus.Started, app.context().getRouteController().getRouteStatus("integration"));
    }
}
