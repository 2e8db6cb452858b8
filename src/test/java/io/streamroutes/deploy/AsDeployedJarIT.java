package io.streamroutes.deploy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import io.streamroutes.embedded.EmbeddedRedis;
import io.streamroutes.testsupport.JarProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.StreamEntryID;

import static io.streamroutes.deploy.DeployFilesTest.at;
import static io.streamroutes.deploy.DeployFilesTest.documents;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The jar as deploy/kubernetes runs it for the analytics scenario: its built Deployment's -D arguments (the other
 * scenarios off; Redis address and file paths pointed at this test's), the example Secret's variables (a Redis ACL user
 * with its password), the management server on 0.0.0.0 with authentication; probed without credentials, scraped with
 * them (after traffic: every metric the dashboard and the alert rules use is in the scrape); then SIGTERM: exit 0
 * within the grace period with every entry acked.
 */
class AsDeployedJarIT {

    static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void runsProbesScrapesAndStopsAsDeployed(@TempDir Path dir) throws Exception {
        Map<String, Object> deployment = DeployFilesTest.deployment("analytics");
        Map<String, Object> pod = at(deployment, "spec", "template", "spec");
        Map<String, Object> container = at(pod, "containers", "0");
        Map<String, Object> secret = at(documents("Secret").get(0), "stringData");
        int grace = at(pod, "terminationGracePeriodSeconds");
        Path users = Files.writeString(dir.resolve("http-users.properties"), (String) secret.get("http-users.properties"));
        int management = EmbeddedRedis.freePort();
        int server = EmbeddedRedis.freePort();
        Map<String, String> env = new HashMap<>();
        for (Map<String, Object> variable : DeployFilesTest.<List<Map<String, Object>>>at(container, "env")) {
            String name = (String) variable.get("name");
            String key = at(variable, "valueFrom", "secretKeyRef", "key");
            env.put(name, key != null ? (String) secret.get(key) : (String) variable.get("value"));
        }
        try (EmbeddedRedis redis = EmbeddedRedis.start(false, "user " + env.get("REDIS_USERNAME") + " on >" + env.get("REDIS_PASSWORD")
                                                              + " ~* &* +@all")) {
            List<String> options = new ArrayList<>();
            for (String arg : DeployFilesTest.<List<String>>at(container, "args")) {
                if (arg.equals("-jar")) {
                    break; // JarProcess adds -jar and the jar
                }
                options.add(arg.replace("/etc/redis-stream-routes/http-users.properties", users.toString())
                        .replace("-Dcamel.component.redis-streams.host=redis.redis.svc", "-Dcamel.component.redis-streams.host=" + redis.host())
                        .replace("-Dcamel.component.redis-streams.port=6379", "-Dcamel.component.redis-streams.port=" + redis.port()));
            }
            options.addAll(List.of("-Dcamel.management.port=" + management, "-Dcamel.server.port=" + server, "-Danalytics.block-ms=100"));
            try (JarProcess app = JarProcess.startIn(Path.of(""), options, env);
                 Jedis jedis = new Jedis(redis.host(), redis.port())) {
                jedis.auth(env.get("REDIS_USERNAME"), env.get("REDIS_PASSWORD"));
                app.awaitOutput(Pattern.compile("\"message\":\"[^\"]*\\) started in "), 90_000);
                String live = "http://127.0.0.1:" + management + at(container, "livenessProbe", "httpGet", "path");
                String ready = "http://127.0.0.1:" + management + at(container, "readinessProbe", "httpGet", "path");
                await().atMost(Duration.ofSeconds(30)).until(() -> status(ready, null) == 200);
                assertEquals(200, status(live, null));
                String metrics = "http://127.0.0.1:" + management + ((Map<String, String>) at(deployment, "spec", "template", "metadata",
                        "annotations")).get("prometheus.io/path");
                assertEquals(401, status(metrics, null));
                String user = ((String) secret.get("http-users.properties")).lines().filter(l -> l.contains("prometheus")).findFirst().orElseThrow();
                String credentials = "Basic " + Base64.getEncoder().encodeToString(("prometheus:" + user.substring(user.indexOf('=') + 1).strip())
                        .getBytes(StandardCharsets.UTF_8));
                for (int i = 0; i < 200; i++) {
                    jedis.xadd("business:events", StreamEntryID.NEW_ENTRY, Map.of("type", "order_created", "order_id", "o" + i, "user_id", "u" + i));
                }
                Pattern acked = Pattern.compile("(?m)^redis_streams_acked_total\\{[^}]*stream=\"business:events\"[^}]*} 200\\.0$");
                await().atMost(Duration.ofSeconds(30)).until(() -> acked.matcher(body(metrics, credentials)).find());
                // every metric the dashboard and the alert rules query is in the scrape Prometheus gets
                Set<String> used = DashboardMetrics.used();
                String scraped = body(metrics, credentials);
                assertEquals(Set.of(), DashboardMetrics.missing(used, scraped), "used by deploy/grafana or deploy/prometheus, not in "
                                                                              + metrics + ":\n" + scraped);
                assertTrue(used.size() >= 8, used.toString());
                long started = System.nanoTime();
                app.terminate();
                int exit = app.waitForExit(grace * 1000L);
                long tookMs = (System.nanoTime() - started) / 1_000_000;
                assertEquals(0, exit, app.output());
                assertTrue(tookMs < grace * 1000L, tookMs + " ms");
                // nothing lost: the graceful stop finished what it had read and flushed the acks (nothing left pending)
                assertEquals(0, jedis.xpending("business:events", "analytics").getTotal(), app.output());
                assertEquals(0, jedis.xlen("business:dead-letter"), "no dead letter");
            }
        }
    }

    static int status(String url, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    static String body(String url, String authorization) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", authorization)
                .header("Accept", "text/plain;version=0.0.4;q=0.5,*/*;q=0.1").timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }
}
