package io.streamroutes.ratelimit;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
 * The shared limit held by two processes: application JVMs run routes/integration.yaml with the same
 * {@code integration.provider.stripe.rate-limit} against one WireMock provider, which answers at once, so that
 * without the limit each process alone would call it many times faster than the limit. The processes are measured cold:
 * started together with the tasks already queued, and one of them restarted while the other runs. The provider's
 * request journal shows that no 1000 ms window got more than the limit + 1 (timing jitter), that the pair reached at
 * least 80% of it, and that every task was charged exactly once.
 */
class SharedRateLimitJarIT {

    /**
     * Far below what the two processes reach without a limit, even one call at a time each: each has 200 ms per task
     * to keep its share of the slots, so a loaded machine does not make the pair miss 80% of the limit.
     */
    private static final int LIMIT = 10;
    private static final int TASKS = 160; // 16 s at the limit

    private static JarProcess startApp(EmbeddedRedis redis, WireMockServer provider, String name) throws Exception {
        return JarProcess.start(List.of("-Xmx256m",
                "-Dcamel.component.redis-streams.host=" + redis.host(),
                "-Dcamel.component.redis-streams.port=" + redis.port(),
                "-Dcamel.main.routes-include-pattern=file:routes/integration.yaml",
                "-Dintegration.consumer=" + name,
                "-Dintegration.block-ms=200",
                // same provider and limit in both; the base path only tells the journal which process called
                "-Dintegration.provider.stripe.url=http://127.0.0.1:" + provider.port() + "/" + name,
                "-Dintegration.provider.stripe.rate-limit=" + LIMIT));
    }

    private static void awaitStarted(JarProcess app) throws InterruptedException {
        app.awaitOutput(Pattern.compile("Started integration \\("), 180_000);
    }

    private static WireMockServer provider() {
        WireMockServer provider = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1").containerThreads(20));
        provider.start();
        provider.stubFor(post(anyUrl()).willReturn(aResponse().withStatus(200).withBody("{\"id\":\"ch_1\"}")));
        // the provider, not the processes, is warmed up: a cold WireMock handles (and logs) its first requests late and
        // together, which would look like a burst the processes did not send
        HttpClient http = HttpClient.newHttpClient();
        for (int i = 0; i < 200; i++) {
            http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + provider.port() + "/warm-up"))
                    .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.discarding()).join();
        }
        provider.resetRequests();
        return provider;
    }

    private static Set<String> addTasks(Jedis jedis, int count, String prefix) {
        Pipeline pipeline = jedis.pipelined();
        List<redis.clients.jedis.Response<StreamEntryID>> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(pipeline.xadd("integration:tasks", StreamEntryID.NEW_ENTRY,
                    Map.of("provider", "stripe", "action", "create_charge", "user_id", prefix + i, "amount", "100")));
        }
        pipeline.sync();
        Set<String> taskIds = new HashSet<>();
        ids.forEach(id -> taskIds.add(id.get().toString()));
        return taskIds;
    }

    @Test
    void twoFreshProcessesStartedTogetherStayWithinTheLimitFromTheFirstCall() throws Exception {
        WireMockServer provider = provider();
        try (EmbeddedRedis redis = EmbeddedRedis.start(); Jedis jedis = new Jedis(redis.host(), redis.port())) {
            Set<String> taskIds = addTasks(jedis, TASKS, "");
            try (JarProcess a = startApp(redis, provider, "node-a"); JarProcess b = startApp(redis, provider, "node-b")) {
                // no wait for their start: they read the queued tasks while starting, as after a rollout
                await(TASKS + " results").atMost(Duration.ofSeconds(300)).until(() -> jedis.xlen("integration:results") >= TASKS);
            }
            List<Long> times = checkCalls(provider, "started together", true);
            assertTrue(ratePerSecond(times) >= 0.8 * LIMIT, "the pair reached at least 80% of the limit: " + ratePerSecond(times));
            checkChargedOnce(jedis, provider, taskIds);
        } finally {
            provider.stop();
        }
    }

    @Test
    void aProcessRestartedWhileTheOtherRunsKeepsThePairWithinTheLimit() throws Exception {
        WireMockServer provider = provider();
        try (EmbeddedRedis redis = EmbeddedRedis.start(); Jedis jedis = new Jedis(redis.host(), redis.port());
             JarProcess a = startApp(redis, provider, "node-a")) {
            Set<String> taskIds = new HashSet<>();
            try (JarProcess b = startApp(redis, provider, "node-b")) {
                awaitStarted(a);
                awaitStarted(b);
                taskIds.addAll(addTasks(jedis, TASKS, ""));
                await("calls of node-b").atMost(Duration.ofSeconds(30)).until(() -> calls(provider).stream()
                        .filter(c -> c.getUrl().startsWith("/node-b/")).count() >= 20);
                b.terminate(); // a rollout: SIGTERM, in-flight calls finish, the rest stays pending for the new process
                assertEquals(0, b.waitForExit(30_000));
            }
            try (JarProcess restarted = startApp(redis, provider, "node-b")) {
                awaitStarted(restarted);
                await(TASKS + " results").atMost(Duration.ofSeconds(60)).until(() -> jedis.xlen("integration:results") >= TASKS);
                assertTrue(calls(provider).stream().filter(c -> c.getUrl().startsWith("/node-b/")).count() > 20,
                        "the restarted process called too");
            }
            checkCalls(provider, "one restarted", false);
            checkChargedOnce(jedis, provider, taskIds);
        } finally {
            provider.stop();
        }
    }

    private static List<LoggedRequest> calls(WireMockServer provider) {
        List<LoggedRequest> calls = new ArrayList<>(provider.findAll(anyRequestedFor(anyUrl())));
        calls.sort((x, y) -> x.getLoggedDate().compareTo(y.getLoggedDate()));
        return calls;
    }

    private static double ratePerSecond(List<Long> times) {
        return (times.size() - 1) * 1000.0 / Math.max(1, times.get(times.size() - 1) - times.get(0));
    }

    /** Prints the figures and checks the busiest 1000 ms window (any, not only calendar seconds); returns the call times. */
    private static List<Long> checkCalls(WireMockServer provider, String what, boolean bothCalled) {
        List<LoggedRequest> calls = calls(provider);
        List<Long> times = calls.stream().map(c -> c.getLoggedDate().getTime()).toList();
        int busiestWindow = 0;
        int busiestWindowEnd = 0;
        for (int i = 0, j = 0; i < times.size(); i++) {
            while (times.get(i) - times.get(j) >= 1000) {
                j++;
            }
            if (i - j + 1 > busiestWindow) {
                busiestWindow = i - j + 1;
                busiestWindowEnd = i;
            }
        }
        long firstSecond = times.stream().filter(t -> t < times.get(0) + 1000).count();
        int longestGapAt = 1; // where the pair fell behind the limit, if it did
        for (int i = 1; i < times.size(); i++) {
            if (times.get(i) - times.get(i - 1) > times.get(longestGapAt) - times.get(longestGapAt - 1)) {
                longestGapAt = i;
            }
        }
        double rate = ratePerSecond(times);
        long fromA = calls.stream().filter(c -> c.getUrl().startsWith("/node-a/")).count();
        System.out.printf("shared rate limit %d/s, two cold processes (%s): %d calls in %.1f s = %.1f calls/s (%.0f%% of the limit); "
                          + "first 1000 ms %d calls; busiest 1000 ms window %d, ending at call %d; node-a %d calls, node-b %d; "
                          + "longest gap %d ms, before call %d%n",
                LIMIT, what, times.size(), (times.get(times.size() - 1) - times.get(0)) / 1000.0, rate, 100 * rate / LIMIT,
                firstSecond, busiestWindow, busiestWindowEnd + 1, fromA, times.size() - fromA,
                times.get(longestGapAt) - times.get(longestGapAt - 1), longestGapAt + 1);
        if (busiestWindow > LIMIT + 1) {
            long from = times.get(busiestWindowEnd - busiestWindow + 1);
            for (int i = busiestWindowEnd - busiestWindow + 1; i <= busiestWindowEnd; i++) {
                System.out.printf("  call %d at +%d ms from %s%n", i + 1, times.get(i) - from, calls.get(i).getUrl());
            }
        }
        assertTrue(busiestWindow <= LIMIT + 1, "at most " + LIMIT + " calls (+1) in any 1000 ms window: " + busiestWindow
                                               + " ending at call " + (busiestWindowEnd + 1) + " of " + times);
        if (bothCalled) {
            assertTrue(fromA >= TASKS / 5 && times.size() - fromA >= TASKS / 5, "both processes called: node-a " + fromA);
        }
        return times;
    }

    /** Every task charged exactly once: one call per Idempotency-Key, that key a task's id, one 2xx result each. */
    private static void checkChargedOnce(Jedis jedis, WireMockServer provider, Set<String> taskIds) {
        Map<String, Integer> keys = new HashMap<>();
        calls(provider).forEach(c -> keys.merge(c.getHeader("Idempotency-Key"), 1, Integer::sum));
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
    }
}
