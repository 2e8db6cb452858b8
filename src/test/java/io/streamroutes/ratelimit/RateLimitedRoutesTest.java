package io.streamroutes.ratelimit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.streamroutes.testsupport.Await;
import io.streamroutes.testsupport.EmbeddedRedisExtension;
import io.streamroutes.testsupport.ScenarioApp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.StreamEntryID;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shipped routes with their rate-limit settings: integration.provider.&lt;name&gt;.rate-limit limits that provider
 * only, notify.push.rate-limit the push gateway; real Redis, WireMock as provider and gateway.
 */
class RateLimitedRoutesTest {

    @RegisterExtension
    static final EmbeddedRedisExtension redis = new EmbeddedRedisExtension();

    Jedis jedis;
    WireMockServer http;
    ScenarioApp app;

    @BeforeEach
    void start() {
        jedis = redis.newJedis();
        jedis.flushAll();
        http = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        http.start();
        http.stubFor(post(anyUrl()).willReturn(aResponse().withStatus(200).withBody("{\"id\":\"ch_1\"}")));
    }

    @AfterEach
    void stop() {
        if (app != null) {
            app.close();
        }
        http.stop();
        jedis.close();
    }

    /** Times (ms) at which the stub received the requests to {@code path}, in order. */
    List<Long> callTimes(String path) {
        List<Long> times = new ArrayList<>();
        for (LoggedRequest request : http.findAll(postRequestedFor(urlEqualTo(path)))) {
            times.add(request.getLoggedDate().getTime());
        }
        times.sort(null);
        return times;
    }

    /**
     * Calls follow the limit's slots, {@code intervalMs} apart. A call can reach the stub up to {@link #LATE_MS} after
     * its slot (a busy machine), so two calls may look closer than one interval, but any call and the one two slots
     * later are at least two intervals minus that apart; without the limit they come a few ms apart.
     */
    static void assertSpacedAtLeast(long intervalMs, List<Long> times) {
        for (int i = 2; i < times.size(); i++) {
            assertTrue(times.get(i) - times.get(i - 2) >= 2 * intervalMs - LATE_MS, "calls " + intervalMs + " ms apart: " + times);
        }
        assertTrue(times.get(times.size() - 1) - times.get(0) >= (times.size() - 1) * intervalMs - LATE_MS,
                "calls " + intervalMs + " ms apart: " + times);
    }

    static final long LATE_MS = 300;

    @Test
    void aProviderLimitSpacesThatProvidersCallsOnly() throws Exception {
        Map<String, String> props = new HashMap<>();
        props.put("integration.provider.stripe.url", "http://127.0.0.1:" + http.port() + "/stripe");
        props.put("integration.provider.stripe.rate-limit", "5");
        props.put("integration.provider.acme.url", "http://127.0.0.1:" + http.port() + "/acme");
        props.put("integration.block-ms", "200");
        // one task at a time, alternating providers: an acme call right after a stripe call shows it did not wait
        props.put("integration.concurrency", "1");
        app = ScenarioApp.start(redis.host(), redis.port(), props, "routes/integration.yaml");
        for (int i = 0; i < 8; i++) {
            for (String provider : List.of("acme", "stripe")) {
                jedis.xadd("integration:tasks", StreamEntryID.NEW_ENTRY,
                        Map.of("provider", provider, "action", "create_charge", "user_id", "1", "amount", "100"));
            }
        }
        await("16 results").atMost(Duration.ofSeconds(20)).until(() -> jedis.xlen("integration:results") == 16);

        List<Long> stripe = callTimes("/stripe/v1/charges");
        assertEquals(8, stripe.size());
        assertSpacedAtLeast(200, stripe); // 5/s
        List<Long> acme = callTimes("/acme/v1/charges");
        assertEquals(8, acme.size());
        // acme has no limit: its call right after a stripe call does not wait for a slot
        long quick = 0;
        for (long a : acme) {
            if (stripe.stream().anyMatch(s -> a >= s && a - s < 190)) {
                quick++;
            }
        }
        assertTrue(quick >= 6, "acme calls follow stripe calls at once, not 200 ms later: stripe " + stripe + " acme " + acme);
        assertEquals(0, jedis.xlen("integration:dead-letter"));
    }

    @Test
    void thePushGatewayLimitSpacesPushes() throws Exception {
        Map<String, String> props = new HashMap<>();
        props.put("notify.push.url", "http://127.0.0.1:" + http.port() + "/push");
        props.put("notify.push.rate-limit", "4");
        props.put("notify.block-ms", "200");
        app = ScenarioApp.start(redis.host(), redis.port(), props, "routes/notifications.yaml");
        for (int i = 0; i < 5; i++) {
            jedis.xadd("notify:events", StreamEntryID.NEW_ENTRY, Map.of("user_id", "1", "type", "push", "template", "promo"));
        }
        await("5 pushes").atMost(Duration.ofSeconds(20)).until(() -> callTimes("/push").size() == 5);
        List<Long> pushes = callTimes("/push");
        assertSpacedAtLeast(250, pushes); // 4/s
        Await.allAcked(jedis, "notify:events", "notify-workers", jedis.xrevrange("notify:events", "+", "-", 1).get(0).getID().toString(),
                Duration.ofSeconds(10));
    }
}
