package io.streamroutes.media;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.streamroutes.embedded.EmbeddedRedis;
import io.streamroutes.testsupport.ClamdDaemon;
import io.streamroutes.testsupport.EmbeddedRedisExtension;
import io.streamroutes.testsupport.ScenarioApp;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.health.HealthCheckRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * routes/media.yaml with {@code media.antivirus.clamd.*} set: scanning goes through a real clamd (Debian's
 * clamav-daemon, started here on a free port), a clamd that is down leaves the task pending (never "clean") and the
 * readiness check DOWN, and once clamd is up the retried task gets its verdict.
 */
class MediaClamdScenarioTest {

    @TempDir
    static Path dir;
    static Path root;
    static int clamdPort;
    @RegisterExtension
    static final EmbeddedRedisExtension redis = new EmbeddedRedisExtension();
    static ScenarioApp app;
    static Jedis jedis;

    @BeforeAll
    static void start() throws Exception {
        ClamdDaemon.assumeInstalled();
        root = Files.createDirectories(dir.resolve("media/originals")).getParent();
        clamdPort = EmbeddedRedis.freePort();
        app = ScenarioApp.start(redis.host(), redis.port(), Map.of(
                "media.root", root.toString(),
                "media.block-ms", "200",
                "media.min-idle-time-ms", "400",
                "media.claim-interval-ms", "200",
                "media.max-deliveries", "1000",
                "media.antivirus.clamd.host", "127.0.0.1",
                "media.antivirus.clamd.port", Integer.toString(clamdPort),
                "media.antivirus.clamd.timeout-ms", "5000",
                "media.antivirus.clamd.max-bytes", "1048576"), "routes/media.yaml");
        jedis = redis.newJedis();
    }

    @AfterAll
    static void stop() {
        if (jedis != null) {
            jedis.close();
        }
        if (app != null) {
            app.close();
        }
    }

    @Test
    void scansThroughClamdOnlyOnceItIsReachable() throws Exception {
        Files.writeString(root.resolve("originals/virus"), ClamdDaemon.EICAR, StandardCharsets.US_ASCII);
        Files.writeString(root.resolve("originals/letter"), "Dear reader, nothing to see here.");
        Files.write(root.resolve("originals/huge"), new byte[2 * 1024 * 1024]);

        // clamd not running yet: not ready, and the task is retried instead of being reported clean
        assertEquals(HealthCheck.State.DOWN, clamdReadiness().getState());
        String first = task("letter");
        await("failed deliveries while clamd is down").atMost(Duration.ofSeconds(15))
                .until(() -> deliveries(first) >= 2);
        assertTrue(results("letter").isEmpty(), "no verdict without a scanner");
        assertEquals(1, jedis.xpending("media:tasks", "media-workers").getTotal());

        try (ClamdDaemon clamd = ClamdDaemon.start(dir.resolve("clamd"), clamdPort, "10M")) {
            await("readiness UP").atMost(Duration.ofSeconds(15)).until(() -> clamdReadiness().getState() == HealthCheck.State.UP);
            task("virus");
            task("huge");
            Map<String, String> clean = awaitResult("letter");
            assertEquals(Map.of("file_id", "letter", "action", "antivirus", "status", "clean", "output", "originals/letter",
                    "engine", "clamd", "bytes_in", "33"), clean);
            assertEquals(Map.of("file_id", "virus", "action", "antivirus", "status", "infected", "output", "quarantine/virus",
                    "engine", "clamd", "threat", ClamdDaemon.THREAT, "bytes_in", "68"), awaitResult("virus"));
            assertFalse(Files.exists(root.resolve("originals/virus")));
            assertTrue(Files.exists(root.resolve("quarantine/virus")));

            // over media.antivirus.clamd.max-bytes: dead-lettered at once, not retried, not "clean"
            await("huge dead-lettered").atMost(Duration.ofSeconds(15)).until(() -> !deadLetters("huge").isEmpty());
            Map<String, String> dead = deadLetters("huge").get(0);
            assertEquals("1", dead.get("x-delivery-count"));
            assertTrue(dead.get("x-error").contains("more than clamd accepts"), dead.get("x-error"));
            assertTrue(results("huge").isEmpty());
            await("nothing pending").atMost(Duration.ofSeconds(15))
                    .until(() -> jedis.xpending("media:tasks", "media-workers").getTotal() == 0);
        }
        await("readiness DOWN after clamd stopped").atMost(Duration.ofSeconds(15))
                .until(() -> clamdReadiness().getState() == HealthCheck.State.DOWN);
    }

    /** The check as camel-health's registry holds it (what the health endpoints and JMX call). */
    private static HealthCheck.Result clamdReadiness() {
        HealthCheck check = HealthCheckRegistry.get(app.context()).getCheck("clamd")
                .orElseThrow(() -> new AssertionError("no clamd readiness check registered"));
        assertTrue(check.isReadiness());
        assertFalse(check.isLiveness());
        // and what camel-health's readiness API reports (exposure level "full": every check with its state)
        HealthCheck.Result reported = HealthCheckHelper.invokeReadiness(app.context(), "full").stream()
                .filter(r -> "clamd".equals(r.getCheck().getId())).findFirst()
                .orElseThrow(() -> new AssertionError("clamd not in the readiness results"));
        HealthCheck.Result direct = check.call();
        assertEquals(direct.getState(), reported.getState());
        return direct;
    }

    private static String task(String fileId) {
        return MediaStreams.task(jedis, "456", fileId, "antivirus");
    }

    private static long deliveries(String id) {
        return MediaStreams.deliveryCount(jedis, id);
    }

    private static Map<String, String> awaitResult(String fileId) {
        await("result for " + fileId).atMost(Duration.ofSeconds(15)).until(() -> !results(fileId).isEmpty());
        return results(fileId).get(0);
    }

    private static List<Map<String, String>> results(String fileId) {
        return MediaStreams.entries(jedis, "media:results", fileId);
    }

    private static List<Map<String, String>> deadLetters(String fileId) {
        return MediaStreams.entries(jedis, "media:dead-letter", fileId);
    }
}
