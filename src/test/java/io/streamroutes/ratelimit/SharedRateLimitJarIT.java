package io.streamroutes.ratelimit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.streamroutes.embedded.EmbeddedRedis;
import io.streamroutes.testsupport.JarProcess;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.resps.StreamEntry;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shared limit held by two processes: two application JVMs run routes/integration.yaml with the same
 * {@code integration.provider.stripe.rate-limit} against one WireMock provider, which answers at once, so that
 * without the limit each process alone would call it many times faster than the limit. The provider's request journal shows
 * that in no second it got more than the limit (beyond a call or two), that the pair reached at least 80% of it, and
 * that every task was charged exactly once.
 */
class SharedRateLimitJarIT {

    /**
     * Far below what the two processes reach without a limit, even one call at a time each: each has 200 ms per task
     * to keep its share of the slots, so a loaded machine does not make the pair miss 80% of the limit.
     */
    private static final int LIMIT = 10;
    private static final int TASKS = 160; // 16 s at the limit
    private static final int WARMUP_TASKS = 20;

    /** Both processes have called the provider at least once. */
    private static boolean warmedUp(WireMockServer provider) {
        List<LoggedRequest> calls = provider.findAll(anyRequestedFor(anyUrl()));
        return calls.stream().anyMatch(c -> c.getUrl().startsWith("/node-a/")) && calls.stream().anyMatch(c -> c.getUrl().startsWith("/node-b/"));
    }

    private static JarProcess startApp(EmbeddedRedis redis, WireMockServer provider, String name) throws Exception {
        JarProcess app = JarProcess.start(List.of("-Xmx256m",
                "-Dcamel.component.redis-streams.host=" + redis.host(),
                "-Dcamel.component.redis-streams.port=" + redis.port(),
                "-Dcamel.main.routes-include-pattern=file:routes/integration.yaml",
                "-Dintegration.consumer=" + name,
                "-Dintegration.block-ms=200",
                // same provider and limit in both; the base path only tells the journal which process called
                "-Dintegration.provider.stripe.url=http://127.0.0.1:" + provider.port() + "/" + name,
                "-Dintegration.provider.stripe.rate-limit=" + LIMIT));
        app.awaitOutput(Pattern.compile("Started integration \\("), 60_000);
        return app;
    }

    @Test
    void twoProcessesTogetherStayWithinTheLimitAndReachIt() throws Exception {
        WireMockServer provider = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1").containerThreads(20));
        provider.start();
        provider.stubFor(post(anyUrl()).willReturn(aResponse().withStatus(200).withBody("{\"id\":\"ch_1\"}")));
        try (EmbeddedRedis redis = EmbeddedRedis.start(); Jedis jedis = new Jedis(redis.host(), redis.port());
             JarProcess a = startApp(redis, provider, "node-a"); JarProcess b = startApp(redis, provider, "node-b")) {
            Set<String> taskIds = new HashSet<>();
            // warm-up, not measured: a fresh process creates camel-http's client on its first calls, so the calls of
            // the slots it reserved meanwhile (up to integration.concurrency of them) reach the provider together
            for (int i = 0; i < WARMUP_TASKS; i++) {
                taskIds.add(jedis.xadd("integration:tasks", StreamEntryID.NEW_ENTRY,
                        Map.of("provider", "stripe", "action", "create_charge", "user_id", "w" + i, "amount", "100")).toString());
            }
            await("warm-up results").atMost(Duration.ofSeconds(30)).until(() -> jedis.xlen("integration:results") >= WARMUP_TASKS
                                                                              && warmedUp(provider));
            Thread.sleep(1000); // one interval of quiet: the measured calls start on a fresh second
            long measuredFrom = System.currentTimeMillis();
            Pipeline pipeline = jedis.pipelined();
            List<redis.clients.jedis.Response<StreamEntryID>> ids = new ArrayList<>();
            for (int i = 0; i < TASKS; i++) {
                ids.add(pipeline.xadd("integration:tasks", StreamEntryID.NEW_ENTRY,
                        Map.of("provider", "stripe", "action", "create_charge", "user_id", Integer.toString(i), "amount", "100")));
            }
            pipeline.sync();
            ids.forEach(id -> taskIds.add(id.get().toString()));
            await(TASKS + " results").atMost(Duration.ofSeconds(45)).until(() -> jedis.xlen("integration:results") >= TASKS + WARMUP_TASKS);

            List<LoggedRequest> allCalls = new ArrayList<>(provider.findAll(anyRequestedFor(anyUrl())));
            List<LoggedRequest> calls = new ArrayList<>(allCalls.stream().filter(c -> c.getLoggedDate().getTime() >= measuredFrom).toList());
            calls.sort((x, y) -> x.getLoggedDate().compareTo(y.getLoggedDate()));
            List<Long> times = calls.stream().map(c -> c.getLoggedDate().getTime()).toList();
            Map<Long, Integer> perSecond = new TreeMap<>();
            times.forEach(t -> perSecond.merge(t / 1000, 1, Integer::sum));
            int busiestSecond = perSecond.values().stream().max(Integer::compare).orElse(0);
            int busiestWindow = 0; // any 1000 ms window, not only calendar seconds
            for (int i = 0, j = 0; i < times.size(); i++) {
                while (times.get(i) - times.get(j) >= 1000) {
                    j++;
                }
                busiestWindow = Math.max(busiestWindow, i - j + 1);
            }
            int longestGapAt = 1; // where the pair fell behind the limit, if it did
            for (int i = 1; i < times.size(); i++) {
                if (times.get(i) - times.get(i - 1) > times.get(longestGapAt) - times.get(longestGapAt - 1)) {
                    longestGapAt = i;
                }
            }
            double rate = (times.size() - 1) * 1000.0 / Math.max(1, times.get(times.size() - 1) - times.get(0));
            long fromA = calls.stream().filter(c -> c.getUrl().startsWith("/node-a/")).count();
            System.out.printf("shared rate limit %d/s, two processes: %d calls in %.1f s = %.1f calls/s (%.0f%% of the limit); "
                              + "busiest calendar second %d, busiest 1000 ms window %d; node-a %d calls, node-b %d; "
                              + "longest gap %d ms, before call %d%n",
                    LIMIT, times.size(), (times.get(times.size() - 1) - times.get(0)) / 1000.0, rate, 100 * rate / LIMIT,
                    busiestSecond, busiestWindow, fromA, times.size() - fromA,
                    times.get(longestGapAt) - times.get(longestGapAt - 1), longestGapAt + 1);

            // the limit spaces the slots exactly; a call delayed on its way (a loaded machine) can meet the next one, hence +2
            assertTrue(busiestSecond <= LIMIT + 2, "at most " + LIMIT + " calls (+2) in any second: " + perSecond);
            assertTrue(rate >= 0.8 * LIMIT, "the pair reached at least 80% of the limit: " + rate);
            assertTrue(fromA >= TASKS / 5 && times.size() - fromA >= TASKS / 5, "both processes called: node-a " + fromA);

            // every task charged exactly once: one call per Idempotency-Key, that key a task's id, one 2xx result each
            Map<String, Integer> keys = new HashMap<>();
            allCalls.forEach(c -> keys.merge(c.getHeader("Idempotency-Key"), 1, Integer::sum));
            assertEquals(taskIds, keys.keySet(), "one Idempotency-Key per task, the task's entry id");
            assertTrue(keys.values().stream().allMatch(n -> n == 1), "no task called twice");
            Map<String, Integer> results = new HashMap<>();
            for (StreamEntry result : jedis.xrange("integration:results", "-", "+")) {
                assertEquals("200", result.getFields().get("status"));
                results.merge(result.getFields().get("source_id"), 1, Integer::sum);
            }
            assertEquals(taskIds, results.keySet());
            assertTrue(results.values().stream().allMatch(n -> n == 1), "one result per task");
            assertEquals(0, jedis.xlen("integration:dead-letter"));
        } finally {
            provider.stop();
        }
    }
}
