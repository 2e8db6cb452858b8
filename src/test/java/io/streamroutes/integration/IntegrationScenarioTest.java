package io.streamroutes.integration;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.streamroutes.component.redisstreams.RedisStreamsConsumer;
import io.streamroutes.embedded.EmbeddedRedis;
import io.streamroutes.testsupport.Await;
import io.streamroutes.testsupport.ScenarioApp;
import org.apache.camel.ServiceStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import io.streamroutes.testsupport.EmbeddedRedisExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.params.XPendingParams;
import redis.clients.jedis.resps.StreamEntry;
import redis.clients.jedis.resps.StreamPendingEntry;

/**
 * routes/integration.yaml end to end: the real application against a real Redis and WireMock as the provider.
 */
class IntegrationScenarioTest {

    static final String TASKS = "integration:tasks";
    static final String RESULTS = "integration:results";
    static final String DEAD = "integration:dead-letter";
    static final String GROUP = "integration-workers";
    static final String CHARGES = "/v1/charges";

    @RegisterExtension
    static final EmbeddedRedisExtension redis = new EmbeddedRedisExtension();

    Jedis jedis;
    WireMockServer provider;
    ScenarioApp app;

    @BeforeEach
    void startServers() {
        jedis = new Jedis(redis.host(), redis.port());
        jedis.flushAll();
        provider = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        provider.start();
    }

    @AfterEach
    void stopAll() {
        if (app != null) {
            app.close();
        }
        provider.stop();
        jedis.close();
    }

    void startApp(Map<String, String> extra) throws Exception {
        Map<String, String> props = new HashMap<>();
        props.put("integration.provider.stripe.url", "http://127.0.0.1:" + provider.port());
        props.put("integration.block-ms", "200");
        props.put("integration.min-idle-time-ms", "500");
        props.put("integration.claim-interval-ms", "200");
        props.put("integration.http.read-timeout-ms", "1000");
        props.putAll(extra);
        app = ScenarioApp.start(redis.host(), redis.port(), props, "routes/integration.yaml");
    }

    /** Exactly like {@code XADD integration:tasks * provider stripe action create_charge user_id 123 amount 1999}. */
    String xadd(String... fieldsAndValues) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < fieldsAndValues.length; i += 2) {
            map.put(fieldsAndValues[i], fieldsAndValues[i + 1]);
        }
        return jedis.xadd(TASKS, StreamEntryID.NEW_ENTRY, map).toString();
    }

    String charge(String amount) {
        return xadd("provider", "stripe", "action", "create_charge", "user_id", "123", "amount", amount);
    }

    long pending() {
        return jedis.xpending(TASKS, GROUP).getTotal();
    }

    List<StreamEntry> results() {
        return jedis.xrange(RESULTS, "-", "+");
    }

    List<StreamEntry> deadLetters() {
        return jedis.xrange(DEAD, "-", "+");
    }

    void awaitAllAcked(String lastId) {
        io.streamroutes.testsupport.Await.allAcked(jedis, TASKS, GROUP, lastId, Duration.ofSeconds(15));
    }

    void stubFirstThenOk(com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder first) {
        provider.stubFor(post(CHARGES).inScenario("retry").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(first).willSetStateTo("ok"));
        provider.stubFor(post(CHARGES).inScenario("retry").whenScenarioStateIs("ok")
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody("{\"id\":\"ch_retry\",\"object\":\"charge\"}")));
    }

    @Test
    void acceptedChargeIsAckedAndItsReplyIdRecorded() throws Exception {
        provider.stubFor(post(CHARGES).willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                .withBody("{\"id\":\"ch_1\",\"object\":\"charge\",\"amount\":1999}")));
        startApp(Map.of());

        String id = charge("1999");

        await("result entry").atMost(Duration.ofSeconds(10)).until(() -> results().size() == 1);
        awaitAllAcked(id);
        Map<String, String> result = results().get(0).getFields();
        assertEquals(Map.of("source_id", id, "provider", "stripe", "action", "create_charge", "status", "200", "reply_id", "ch_1"),
                result);
        provider.verify(1, postRequestedFor(urlEqualTo(CHARGES))
                .withHeader("Idempotency-Key", equalTo(id))
                .withHeader("Content-Type", equalTo("application/x-www-form-urlencoded"))
                .withFormParam("amount", equalTo("1999"))
                .withFormParam("currency", equalTo("usd"))
                .withFormParam("customer", equalTo("123")));
        LoggedRequest request = provider.findAll(postRequestedFor(urlEqualTo(CHARGES))).get(0);
        assertNull(request.getHeader("Authorization"));
        assertFalse(request.containsHeader("user_id"), "entry fields are not sent as headers");
        assertEquals(0, deadLetters().size());
    }

    @Test
    void eachProvidersHttpClientIsCreatedAtStartAndUsedByTheFirstCall() throws Exception {
        provider.stubFor(post(CHARGES).willReturn(aResponse().withStatus(200).withBody("{\"id\":\"ch_1\"}")));
        // a provider with a broken URL is reported by its tasks, it does not stop the start
        startApp(Map.of("integration.provider.broken.url", "ftp://example.com"));
        List<org.apache.camel.component.http.HttpEndpoint> atStart = httpEndpoints();
        assertEquals(1, atStart.size(), "created before any task: " + atStart);
        assertTrue(atStart.get(0).getEndpointUri().startsWith("http://127.0.0.1:" + provider.port() + CHARGES), atStart.get(0).getEndpointUri());

        awaitAllAcked(charge("1999"));
        assertEquals(1, provider.findAll(postRequestedFor(urlEqualTo(CHARGES))).size());
        assertEquals(atStart, httpEndpoints(), "the route's toD found the endpoint created at start");
    }

    List<org.apache.camel.component.http.HttpEndpoint> httpEndpoints() {
        return app.context().getEndpoints().stream().filter(e -> e instanceof org.apache.camel.component.http.HttpEndpoint)
                .map(e -> (org.apache.camel.component.http.HttpEndpoint) e).toList();
    }

    @Test
    void currencyAndApiKeyComeFromTheProviderSettings() throws Exception {
        provider.stubFor(post(CHARGES).willReturn(aResponse().withStatus(201).withBody("not json")));
        startApp(Map.of("integration.provider.stripe.currency", "eur", "integration.provider.stripe.api-key", "sk_test_abc"));

        String id = charge("500");

        await("result entry").atMost(Duration.ofSeconds(10)).until(() -> results().size() == 1);
        awaitAllAcked(id);
        Map<String, String> result = results().get(0).getFields();
        assertEquals("201", result.get("status"));
        assertFalse(result.containsKey("reply_id"), "no id in the reply, no reply_id");
        provider.verify(1, postRequestedFor(urlEqualTo(CHARGES))
                .withHeader("Authorization", equalTo("Bearer sk_test_abc"))
                .withFormParam("currency", equalTo("eur")));
    }

    @Test
    void serverErrorIsRetriedWithTheSameIdempotencyKeyAndRecordedOnce() throws Exception {
        stubFirstThenOk(aResponse().withStatus(500).withBody("{\"error\":\"internal\"}"));
        startApp(Map.of());

        String id = charge("1999");

        await("result entry").atMost(Duration.ofSeconds(10)).until(() -> results().size() == 1);
        awaitAllAcked(id);
        List<LoggedRequest> calls = provider.findAll(postRequestedFor(urlEqualTo(CHARGES)));
        assertEquals(2, calls.size());
        assertEquals(id, calls.get(0).getHeader("Idempotency-Key"));
        assertEquals(id, calls.get(1).getHeader("Idempotency-Key"));
        assertEquals("ch_retry", results().get(0).getFields().get("reply_id"));
        Await.holds("one result entry, no dead letter", Duration.ofMillis(500),
                () -> results().size() == 1 && deadLetters().isEmpty());
    }

    @Test
    void tooManyRequestsIsRetriedAfterRetryAfterAndNothingIsCalledMeanwhile() throws Exception {
        stubFirstThenOk(aResponse().withStatus(429).withHeader("Retry-After", "2"));
        startApp(Map.of("integration.max-deliveries", "1"));

        String id = charge("1999");
        RedisStreamsConsumer consumer = (RedisStreamsConsumer) app.context().getRoute("integration").getConsumer();
        await("paused by the 429").atMost(Duration.ofSeconds(10)).until(() -> consumer.getPausedUntilMillis() > 0);
        String second = charge("500"); // arrives while the provider is limiting us

        await("both results").atMost(Duration.ofSeconds(15)).until(() -> results().size() == 2);
        awaitAllAcked(second);
        List<LoggedRequest> calls = provider.findAll(postRequestedFor(urlEqualTo(CHARGES)));
        assertEquals(3, calls.size(), "the limited call, its retry and the second task");
        long quietMs = calls.get(1).getLoggedDate().getTime() - calls.get(0).getLoggedDate().getTime();
        assertTrue(quietMs >= 1900, "no call for the 2 s the provider asked for: " + quietMs + " ms");
        assertEquals(id, calls.get(0).getHeader("Idempotency-Key"));
        assertEquals(2, calls.stream().filter(c -> id.equals(c.getHeader("Idempotency-Key"))).count());
        assertEquals(0, deadLetters().size(), "a Retry-After wait uses up no delivery, even with max-deliveries=1");
    }

    @Test
    void unavailableWithAnHttpDateIsRetriedAtThatTime() throws Exception {
        startApp(Map.of());
        java.time.ZonedDateTime retryAt = java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC).plusSeconds(3).withNano(0);
        stubFirstThenOk(aResponse().withStatus(503).withHeader("Retry-After",
                java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.format(retryAt)));

        String id = charge("1999");

        await("result entry").atMost(Duration.ofSeconds(15)).until(() -> results().size() == 1);
        awaitAllAcked(id);
        List<LoggedRequest> calls = provider.findAll(postRequestedFor(urlEqualTo(CHARGES)));
        assertEquals(2, calls.size());
        long early = retryAt.toInstant().toEpochMilli() - calls.get(1).getLoggedDate().getTime();
        assertTrue(early <= 20, "retried at the date the provider gave, not before: " + early + " ms early");
    }

    @Test
    void serverErrorIsRetriedOnTheScheduleNotAfterMinIdleTime() throws Exception {
        stubFirstThenOk(aResponse().withStatus(500));
        // min-idle-time far away: only the retry schedule can bring the task back within the test
        startApp(Map.of("integration.min-idle-time-ms", "600000", "integration.redelivery-delay", "300ms"));

        String id = charge("1999");

        await("result entry").atMost(Duration.ofSeconds(10)).until(() -> results().size() == 1);
        awaitAllAcked(id);
        List<LoggedRequest> calls = provider.findAll(postRequestedFor(urlEqualTo(CHARGES)));
        long gap = calls.get(1).getLoggedDate().getTime() - calls.get(0).getLoggedDate().getTime();
        assertTrue(gap >= 200 && gap < 5000, "retried after about 300 ms: " + gap);
    }

    @Test
    void tenCallsRunAtOnceAgainstASlowProvider() throws Exception {
        provider.stubFor(post(CHARGES).willReturn(aResponse().withStatus(200).withBody("{\"id\":\"ch_slow\"}").withFixedDelay(500)));
        startApp(Map.of("integration.concurrency", "10"));

        String last = null;
        for (int i = 0; i < 30; i++) {
            last = charge(Integer.toString(100 + i));
        }
        long start = System.currentTimeMillis();
        awaitAllAcked(last);
        await("30 results").atMost(Duration.ofSeconds(10)).until(() -> results().size() == 30);
        long tookMs = System.currentTimeMillis() - start;
        // one at a time this takes 15 s; ten at once 1.5 s (more on a loaded machine)
        assertTrue(tookMs < 7000, "30 calls of 500 ms took " + tookMs + " ms");
        int mostAtOnce = mostConcurrent(provider.findAll(postRequestedFor(urlEqualTo(CHARGES))), 500);
        assertTrue(mostAtOnce >= 8 && mostAtOnce <= 10, "about ten calls in flight at once, never more: " + mostAtOnce);
        assertEquals(1, jedis.xinfoConsumers(TASKS, GROUP).size(), "one consumer name for all of them");
    }

    /** The most requests whose [received, received + durationMs) intervals overlap. */
    private static int mostConcurrent(List<LoggedRequest> requests, long durationMs) {
        List<Long> starts = requests.stream().map(r -> r.getLoggedDate().getTime()).sorted().toList();
        int most = 0;
        for (long t : starts) {
            int overlapping = (int) starts.stream().filter(s -> s <= t && s + durationMs > t).count();
            most = Math.max(most, overlapping);
        }
        return most;
    }

    @Test
    void responseSlowerThanTheReadTimeoutIsRetried() throws Exception {
        stubFirstThenOk(aResponse().withStatus(200).withBody("{\"id\":\"ch_slow\"}").withFixedDelay(3000));
        startApp(Map.of("integration.http.read-timeout-ms", "500"));

        String id = charge("1999");

        // the first call is abandoned after 500 ms (not 3 s): the task is still pending, not dead
        await("second call").atMost(Duration.ofSeconds(10))
                .until(() -> provider.findAll(postRequestedFor(urlEqualTo(CHARGES))).size() == 2);
        await("result entry").atMost(Duration.ofSeconds(10)).until(() -> results().size() == 1);
        awaitAllAcked(id);
        assertEquals("ch_retry", results().get(0).getFields().get("reply_id"));
        assertEquals(0, deadLetters().size());
    }

    @Test
    void refusedConnectionLeavesTheTaskPendingForRetries() throws Exception {
        startApp(Map.of("integration.provider.stripe.url", "http://127.0.0.1:" + EmbeddedRedis.freePort()));

        charge("1999");

        // the consumer creates the group on its own thread: XPENDING answers NOGROUP until then
        await("group created").atMost(Duration.ofSeconds(10)).until(() -> jedis.exists(TASKS) && !jedis.xinfoGroups(TASKS).isEmpty());
        await("two failed deliveries").atMost(Duration.ofSeconds(10)).until(() -> {
            List<StreamPendingEntry> p = jedis.xpending(TASKS, GROUP, XPendingParams.xPendingParams().count(10));
            return p.size() == 1 && p.get(0).getDeliveredTimes() >= 2;
        });
        assertEquals(0, deadLetters().size());
        assertEquals(0, results().size());
    }

    @Test
    void taskStillFailingAfterMaxDeliveriesIsDeadLettered() throws Exception {
        provider.stubFor(post(CHARGES).willReturn(aResponse().withStatus(500).withBody("maintenance")));
        startApp(Map.of("integration.max-deliveries", "3"));

        String id = charge("1999");

        await("dead letter").atMost(Duration.ofSeconds(10)).until(() -> deadLetters().size() == 1);
        Map<String, String> dead = deadLetters().get(0).getFields();
        assertEquals(id, dead.get("x-source-id"));
        assertEquals("3", dead.get("x-delivery-count"));
        assertTrue(dead.get("x-error").contains("500"), dead.get("x-error"));
        assertEquals(0, pending());
        provider.verify(3, postRequestedFor(urlEqualTo(CHARGES)).withHeader("Idempotency-Key", equalTo(id)));
        assertEquals(0, results().size());
    }

    @Test
    void clientErrorIsDeadLetteredAtOnceWithStatusAndBody() throws Exception {
        provider.stubFor(post(CHARGES).willReturn(aResponse().withStatus(400)
                .withBody("{\"error\":{\"message\":\"No such customer: 123\"}}")));
        startApp(Map.of());

        String id = charge("1999");

        await("dead letter").atMost(Duration.ofSeconds(10)).until(() -> deadLetters().size() == 1);
        Map<String, String> dead = deadLetters().get(0).getFields();
        assertEquals(id, dead.get("x-source-id"));
        assertEquals("1", dead.get("x-delivery-count"));
        assertEquals("stripe", dead.get("provider"));
        assertEquals("1999", dead.get("amount"));
        assertTrue(dead.get("x-error").contains("RedisStreamsNonRetryableException: HTTP 400"), dead.get("x-error"));
        assertTrue(dead.get("x-error").contains("No such customer: 123"), dead.get("x-error"));
        assertEquals(0, pending());
        assertEquals(0, results().size());
        Await.holds("past min-idle-time: the provider is not called again", Duration.ofMillis(700),
                () -> provider.findAll(postRequestedFor(urlEqualTo(CHARGES))).size() == 1);
    }

    @Test
    void invalidAmountsAreDeadLetteredWithoutCallingTheProvider() throws Exception {
        provider.stubFor(post(CHARGES).willReturn(aResponse().withStatus(200).withBody("{\"id\":\"ch_x\"}")));
        startApp(Map.of());

        List<String> amounts = List.of("abc", "0", "-5", "19.99", "1e3", " 100", "100000000",
                "9223372036854775808", "99999999999999999999999999999999", "");
        Map<String, String> ids = new LinkedHashMap<>();
        for (String amount : amounts) {
            ids.put(charge(amount), amount);
        }
        String noAmount = xadd("provider", "stripe", "action", "create_charge", "user_id", "123");

        await("all dead-lettered").atMost(Duration.ofSeconds(10)).until(() -> deadLetters().size() == amounts.size() + 1);
        for (StreamEntry dead : deadLetters()) {
            Map<String, String> f = dead.getFields();
            String expected = f.get("x-source-id").equals(noAmount) || "".equals(ids.get(f.get("x-source-id")))
                    ? "task without amount" : "invalid amount";
            assertTrue(f.get("x-error").contains(expected), f.get("x-error"));
            assertEquals("1", f.get("x-delivery-count"));
        }
        assertEquals(0, pending());
        assertEquals(0, results().size());
        provider.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void unknownProviderOrActionIsDeadLetteredAndNothingIsCalled() throws Exception {
        provider.stubFor(post(anyUrl()).willReturn(aResponse().withStatus(200).withBody("{\"id\":\"ch_x\"}")));
        startApp(Map.of());
        String url = "http://127.0.0.1:" + provider.port();

        Map<String, String> expected = new LinkedHashMap<>();
        expected.put(xadd("provider", "paypal", "action", "create_charge", "user_id", "1", "amount", "100"),
                "unknown provider 'paypal'");
        expected.put(xadd("provider", "stripe", "action", "refund_all", "user_id", "1", "amount", "100"),
                "unknown action 'refund_all'");
        expected.put(xadd("action", "create_charge", "user_id", "1", "amount", "100"), "task without provider");
        // values that look like a URL or host, or try to reach another setting, are never used as a target
        for (String p : List.of(url, url + CHARGES, "127.0.0.1:" + provider.port(), "//127.0.0.1:" + provider.port(),
                "stripe.url", "stripe/../x", "stripe\r\nHost: evil", "{{integration.provider.stripe.url}}")) {
            expected.put(xadd("provider", p, "action", "create_charge", "user_id", "1", "amount", "100"), "unknown provider");
        }

        await("all dead-lettered").atMost(Duration.ofSeconds(10)).until(() -> deadLetters().size() == expected.size());
        for (StreamEntry dead : deadLetters()) {
            Map<String, String> f = dead.getFields();
            assertTrue(f.get("x-error").contains(expected.get(f.get("x-source-id"))), f.get("x-error"));
            assertTrue(f.get("x-error").contains("RedisStreamsNonRetryableException"), f.get("x-error"));
        }
        assertEquals(0, pending());
        assertEquals(0, results().size());
        assertEquals(0, provider.getAllServeEvents().size(), "no request reached the provider");
    }

    @Test
    void disabledScenarioDoesNotConsume() throws Exception {
        provider.stubFor(post(CHARGES).willReturn(aResponse().withStatus(200)));
        startApp(Map.of("integration.enabled", "false"));

        charge("1999");

        Await.holds("a disabled route stays stopped, creates no group and calls nothing", Duration.ofMillis(800),
                () -> app.context().getRouteController().getRouteStatus("integration") == ServiceStatus.Stopped
                      && jedis.xlen(TASKS) == 1 && jedis.xinfoGroups(TASKS).isEmpty() && provider.getAllServeEvents().isEmpty());
        provider.verify(0, anyRequestedFor(anyUrl()));
    }
}
