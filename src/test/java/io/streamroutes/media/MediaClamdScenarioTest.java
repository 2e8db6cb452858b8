package io.streamroutes.media;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;

import io.streamroutes.embedded.EmbeddedRedis;
import io.streamroutes.testsupport.ClamdDaemon;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.health.HealthCheckRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

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

    static final int clamdPort = EmbeddedRedis.freePort();
    @RegisterExtension
    static final MediaRoute media = MediaRoute.with(Map.of(
            "media.min-idle-time-ms", "400",
            "media.claim-interval-ms", "200",
            "media.max-deliveries", "1000",
            "media.antivirus.clamd.host", "127.0.0.1",
            "media.antivirus.clamd.port", Integer.toString(clamdPort),
            "media.antivirus.clamd.timeout-ms", "5000",
            "media.antivirus.clamd.max-bytes", "1048576")).requiring(ClamdDaemon::assumeInstalled);

    @Test
    void scansThroughClamdOnlyOnceItIsReachable() throws Exception {
        Files.writeString(media.root().resolve("originals/virus"), ClamdDaemon.EICAR, StandardCharsets.US_ASCII);
        Files.writeString(media.root().resolve("originals/letter"), "Dear reader, nothing to see here.");
        Files.write(media.root().resolve("originals/huge"), new byte[2 * 1024 * 1024]);

        // clamd not running yet: not ready, and the task is retried instead of being reported clean
        assertEquals(HealthCheck.State.DOWN, clamdReadiness().getState());
        String first = task("letter");
        await("failed deliveries while clamd is down").atMost(Duration.ofSeconds(15))
                .until(() -> media.deliveryCount(first) >= 2);
        assertTrue(media.results("letter").isEmpty(), "no verdict without a scanner");
        assertEquals(1, media.pendingCount());

        try (ClamdDaemon clamd = ClamdDaemon.start(media.dir().resolve("clamd"), clamdPort, "10M")) {
            await("readiness UP").atMost(Duration.ofSeconds(15)).until(() -> clamdReadiness().getState() == HealthCheck.State.UP);
            task("virus");
            task("huge");
            Map<String, String> clean = awaitResult("letter");
            assertEquals(Map.of("file_id", "letter", "action", "antivirus", "status", "clean", "output", "originals/letter",
                    "engine", "clamd", "bytes_in", "33"), clean);
            assertEquals(Map.of("file_id", "virus", "action", "antivirus", "status", "infected", "output", "quarantine/virus",
                    "engine", "clamd", "threat", ClamdDaemon.THREAT, "bytes_in", "68"), awaitResult("virus"));
            assertFalse(Files.exists(media.root().resolve("originals/virus")));
            assertTrue(Files.exists(media.root().resolve("quarantine/virus")));

            // over media.antivirus.clamd.max-bytes: dead-lettered at once, not retried, not "clean"
            Map<String, String> dead = media.awaitDeadLetter("huge", Duration.ofSeconds(15));
            assertEquals("1", dead.get("x-delivery-count"));
            assertTrue(dead.get("x-error").contains("more than clamd accepts"), dead.get("x-error"));
            assertTrue(media.results("huge").isEmpty());
            media.awaitNothingPending();
        }
        await("readiness DOWN after clamd stopped").atMost(Duration.ofSeconds(15))
                .until(() -> clamdReadiness().getState() == HealthCheck.State.DOWN);
    }

    /** The check as camel-health's registry holds it (what the health endpoints and JMX call). */
    private static HealthCheck.Result clamdReadiness() {
        HealthCheck check = HealthCheckRegistry.get(media.app().context()).getCheck("clamd")
                .orElseThrow(() -> new AssertionError("no clamd readiness check registered"));
        assertTrue(check.isReadiness());
        assertFalse(check.isLiveness());
        // and what camel-health's readiness API reports (exposure level "full": every check with its state)
        HealthCheck.Result reported = HealthCheckHelper.invokeReadiness(media.app().context(), "full").stream()
                .filter(r -> "clamd".equals(r.getCheck().getId())).findFirst()
                .orElseThrow(() -> new AssertionError("clamd not in the readiness results"));
        HealthCheck.Result direct = check.call();
        assertEquals(direct.getState(), reported.getState());
        return direct;
    }

    private static String task(String fileId) {
        return media.task(fileId, "antivirus");
    }

    private static Map<String, String> awaitResult(String fileId) {
        return media.awaitResult(fileId, "antivirus", Duration.ofSeconds(15));
    }
}
