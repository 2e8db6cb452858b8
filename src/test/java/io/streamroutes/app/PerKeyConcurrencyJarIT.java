package io.streamroutes.app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
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
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.StreamEntryID;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * maxConcurrencyPerKey across two application processes, one of them killed with SIGKILL halfway: a route file in the
 * processes' working directory reads one group with {@code concurrencyKey: "${body[user_id]}"} and
 * {@code maxConcurrencyPerKey: 1} and calls a WireMock provider answering in 300 ms, the user in the path. The
 * provider's journal shows no two calls of one user at once (consecutive calls at least 200 ms apart), the light users
 * finished long before the heavy user's backlog, and every task was called at least once with nothing left pending
 * (the killed process's running and waiting entries taken over after minIdleTime, its slot freed by the lease expiry).
 */
class PerKeyConcurrencyJarIT {

    private static final String ROUTE = """
            - route:
                id: perkey
                from:
                  uri: redis-streams:jobs
                  parameters:
                    group: workers
                    consumer: "{{perkey.node}}"
                    block: 200
                    concurrency: 5
                    minIdleTime: 3s
                    claimInterval: 500
                    concurrencyKey: "${body[user_id]}"
                    maxConcurrencyPerKey: 1
                  steps:
                    - setVariable:
                        name: user
                        simple: "${body[user_id]}"
                    - setHeader:
                        name: CamelHttpMethod
                        constant: POST
                    - setBody:
                        simple: "entry=${header.CamelRedisStreamsEntryId}"
                    - toD: "http://127.0.0.1:{{perkey.provider-port}}/{{perkey.node}}/${variable.user}"
            """;

    private static final int HEAVY = 60;

    @TempDir
    Path workDir;

    private JarProcess start(EmbeddedRedis redis, WireMockServer provider, String node) throws Exception {
        return JarProcess.startIn(workDir, List.of("-Xmx256m",
                "-Dcamel.component.redis-streams.host=" + redis.host(),
                "-Dcamel.component.redis-streams.port=" + redis.port(),
                "-Dperkey.node=" + node,
                "-Dperkey.provider-port=" + provider.port()));
    }

    @Test
    void oneCallPerUserAtOnceOverTwoProcessesAndNothingLostWhenOneIsKilled() throws Exception {
        Files.createDirectories(workDir.resolve("routes"));
        Files.writeString(workDir.resolve("routes/perkey.yaml"), ROUTE);
        WireMockServer provider = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1").containerThreads(30));
        provider.start();
        provider.stubFor(post(anyUrl()).willReturn(aResponse().withStatus(200).withFixedDelay(300).withBody("{}")));
        try (EmbeddedRedis redis = EmbeddedRedis.start(); Jedis jedis = new Jedis(redis.host(), redis.port());
             JarProcess a = start(redis, provider, "node-a"); JarProcess b = start(redis, provider, "node-b")) {
            a.awaitOutput(Pattern.compile("Started perkey \\("), 180_000);
            b.awaitOutput(Pattern.compile("Started perkey \\("), 180_000);
            Set<String> ids = new HashSet<>();
            for (int i = 0; i < HEAVY; i++) {
                ids.add(jedis.xadd("jobs", StreamEntryID.NEW_ENTRY, Map.of("user_id", "heavy", "n", "" + i)).toString());
            }
            for (String user : List.of("u1", "u2", "u3", "u4")) {
                for (int i = 0; i < 3; i++) {
                    ids.add(jedis.xadd("jobs", StreamEntryID.NEW_ENTRY, Map.of("user_id", user, "n", "" + i)).toString());
                }
            }
            await("a few calls by node-a").atMost(Duration.ofSeconds(60))
                    .until(() -> calls(provider).stream().filter(c -> c.getUrl().startsWith("/node-a/")).count() >= 3);
            a.kill();

            await("every task called and nothing pending").atMost(Duration.ofSeconds(120)).until(() ->
                    calledEntries(provider).containsAll(ids) && jedis.xpending("jobs", "workers").getTotal() == 0);
            checkOneAtATime(calls(provider));
        } finally {
            provider.stop();
        }
    }

    private static void checkOneAtATime(List<LoggedRequest> calls) {
        Map<String, List<Long>> byUser = new HashMap<>();
        for (LoggedRequest call : calls) {
            String user = call.getUrl().substring(call.getUrl().lastIndexOf('/') + 1);
            byUser.computeIfAbsent(user, k -> new ArrayList<>()).add(call.getLoggedDate().getTime());
        }
        byUser.forEach((user, times) -> {
            for (int i = 1; i < times.size(); i++) {
                long gap = times.get(i) - times.get(i - 1);
                assertTrue(gap >= 200, user + ": two calls " + gap + " ms apart while each takes 300 ms: " + times);
            }
        });
        long lightDone = byUser.entrySet().stream().filter(e -> !e.getKey().equals("heavy"))
                .mapToLong(e -> e.getValue().get(e.getValue().size() - 1)).max().orElseThrow();
        List<Long> heavy = byUser.get("heavy");
        assertTrue(heavy.size() >= HEAVY, "every heavy task called: " + heavy.size());
        // the light users' tasks wait at most for a lease and entries of the killed process (minIdleTime, 3 s)
        assertTrue(lightDone < heavy.get(HEAVY * 2 / 3), "the light users' 12 tasks were done before two thirds of the heavy backlog");
    }

    private static List<LoggedRequest> calls(WireMockServer provider) {
        List<LoggedRequest> calls = new ArrayList<>(provider.findAll(anyRequestedFor(anyUrl())));
        calls.sort(Comparator.comparing(LoggedRequest::getLoggedDate));
        return calls;
    }

    private static Set<String> calledEntries(WireMockServer provider) {
        Set<String> entries = new HashSet<>();
        for (LoggedRequest call : calls(provider)) {
            entries.add(call.getBodyAsString().replace("entry=", ""));
        }
        return entries;
    }
}
