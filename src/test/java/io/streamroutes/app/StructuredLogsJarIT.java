package io.streamroutes.app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamroutes.embedded.EmbeddedRedis;
import io.streamroutes.testsupport.JarProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.StreamEntryID;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * LOG_FORMAT=json: every line the jar writes is one JSON object with timestamp, level, logger, message and thread; the
 * lines logged while an entry is processed carry the route id, the entry's stream and id (JsonLineEncoderTest: a
 * stack trace stays inside its object). A logback-levels.xml in the working directory sets one logger's level without rebuilding.
 */
class StructuredLogsJarIT {

    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void jsonLinesWithTheEntryBeingProcessed(@TempDir Path workDir) throws Exception {
        Files.createDirectories(workDir.resolve("routes"));
        Files.copy(Path.of("routes", "integration.yaml"), workDir.resolve("routes/integration.yaml"));
        Files.copy(Path.of("application.properties"), workDir.resolve("application.properties"));
        // per-logger level from a file outside the jar: the health checks' DEBUG lines appear, nothing else's
        Files.writeString(workDir.resolve("logback-levels.xml"),
                "<included><logger name=\"org.apache.camel.impl.engine.DefaultShutdownStrategy\" level=\"DEBUG\"/></included>\n");
        try (EmbeddedRedis redis = EmbeddedRedis.start();
             JarProcess app = JarProcess.startIn(workDir, List.of("-Dcamel.component.redis-streams.host=" + redis.host(),
                     "-Dcamel.component.redis-streams.port=" + redis.port(), "-Dintegration.block-ms=100"), Map.of("LOG_FORMAT", "json"));
             Jedis jedis = new Jedis(redis.host(), redis.port())) {
            app.awaitOutput(Pattern.compile("\\) started in "), 90_000);
            String id = jedis.xadd("integration:tasks", StreamEntryID.NEW_ENTRY, Map.of("provider", "nowhere",
                    "action", "create_charge", "amount", "100")).toString();
            await().atMost(Duration.ofSeconds(30)).until(() -> jedis.xlen("integration:dead-letter") == 1);
            await().atMost(Duration.ofSeconds(10)).until(() -> app.output().contains(id));
            app.terminate();
            assertEquals(0, app.waitForExit(60_000));

            List<JsonNode> lines = new ArrayList<>();
            for (String line : app.output().split("\n")) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode node;
                try {
                    node = JSON.readTree(line);
                } catch (Exception e) {
                    throw new AssertionError("not a JSON line: " + line + "\n" + app.output());
                }
                for (String field : new String[] { "timestamp", "level", "logger", "message", "thread" }) {
                    assertTrue(node.hasNonNull(field), field + " in " + line);
                }
                lines.add(node);
            }
            List<JsonNode> entryLines = lines.stream().filter(n -> id.equals(n.path("redisStreams.entryId").asText(null))).toList();
            assertFalse(entryLines.isEmpty(), "no line with the entry id:\n" + app.output());
            for (JsonNode line : entryLines) {
                assertTrue(line.path("camel.routeId").asText().startsWith("integration"), line.toString());
                assertEquals("integration:tasks", line.path("redisStreams.stream").asText(), line.toString());
            }
            assertTrue(lines.stream().anyMatch(n -> n.path("level").asText().equals("DEBUG")
                                                    && n.path("logger").asText().equals("org.apache.camel.impl.engine.DefaultShutdownStrategy")),
                    "DEBUG from the logger logback-levels.xml names");
            assertFalse(lines.stream().anyMatch(n -> n.path("level").asText().equals("DEBUG")
                                                     && !n.path("logger").asText().equals("org.apache.camel.impl.engine.DefaultShutdownStrategy")),
                    "DEBUG only there");
        }
    }
}
