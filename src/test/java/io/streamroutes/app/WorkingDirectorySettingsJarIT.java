package io.streamroutes.app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

import io.streamroutes.embedded.EmbeddedRedis;
import io.streamroutes.testsupport.JarProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The jar in a directory whose application.properties names only a few keys: those override the packaged file key by
 * key, the packaged values (durations written {@code 5s}, {@code 5m}, {@code 30s}) fill in the rest, and -D wins over
 * both.
 */
class WorkingDirectorySettingsJarIT {

    @Test
    void theWorkingDirectorysFileOverridesThePackagedOneKeyByKey(@TempDir Path workDir) throws Exception {
        int management = EmbeddedRedis.freePort();
        try (EmbeddedRedis redis = EmbeddedRedis.start()) {
            Files.writeString(workDir.resolve("application.properties"), String.join("\n",
                    "camel.component.redis-streams.host = " + redis.host(),
                    "camel.component.redis-streams.port = " + redis.port(),
                    "notify.enabled = false",
                    "media.enabled = true",
                    ""));
            try (JarProcess app = JarProcess.startIn(workDir, List.of("-Dcamel.management.port=" + management,
                    "-Dmedia.enabled=false"))) {
                app.awaitOutput(Pattern.compile("\\(redis-stream-routes\\) started in "), 90_000);
                String output = app.output();
                assertTrue(output.contains("Disabled notifications (redis-streams://notify:events)"), "the file's key wins:\n" + output);
                assertTrue(output.contains("Disabled media-tasks (redis-streams://media:tasks)"), "-D wins over the file:\n" + output);
                assertTrue(output.contains("Started analytics-events (redis-streams://business:events)")
                           && output.contains("Started integration (redis-streams://integration:tasks)"),
                        "the packaged keys the file does not name still apply:\n" + output);
                // ready once every started consumer has read from the file's Redis with the packaged block/minIdleTime/claimInterval
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> OperateOverHttpJarIT.status("http://127.0.0.1:" + management + "/observe/health/ready") == 200);
            }
        }
    }
}
