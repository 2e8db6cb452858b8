package io.streamroutes.docs;

import io.streamroutes.testsupport.InstalledTools;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.streamroutes.embedded.EmbeddedRedis;
import io.streamroutes.testsupport.JarProcess;
import org.apache.camel.util.FileUtil;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.StreamEntryID;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The jar commands of README.md and docs/ that no other test runs, run word for word through {@code bash -c} in the
 * project directory, as a reader pastes them. Where a command names no Redis (it uses application.properties'
 * localhost:6379) the test's embedded Redis and free HTTP ports come in through {@code JAVA_TOOL_OPTIONS}, which the
 * JVM reads as if given on its command line, so the documented words stay unchanged.
 */
class DocumentedCommandsJarIT {

    private static EmbeddedRedis redis;

    @BeforeAll
    static void startRedis() throws Exception {
        InstalledTools.require(Files.isRegularFile(JarProcess.JAR), JarProcess.JAR + " is missing: run with mvn verify (after package)");
        redis = EmbeddedRedis.start();
    }

    @BeforeEach
    void emptyRedis() {
        try (Jedis jedis = jedis()) {
            jedis.flushAll(); // each command starts from an empty Redis (no process of the previous test is left)
        }
    }

    @AfterAll
    static void stopRedis() throws Exception {
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void runAgainstARealRedisConsumesAndStopsCleanlyOnSigterm() throws Exception {
        countsAnEventAndStopsOnSigterm(DocumentedCommands.RUN_AGAINST_REDIS, Map.of("REDIS_HOST", redis.host(),
                "REDIS_PORT", Integer.toString(redis.port())), "", 1700000000000L);
    }

    @Test
    void javaDslRoutesRunInsteadOfTheYamlFile() throws Exception {
        // the command names no Redis: application.properties' localhost:6379 is replaced by the test's
        Shell app = countsAnEventAndStopsOnSigterm(DocumentedCommands.JAVA_DSL_ROUTES, Map.of(),
                "-Dcamel.component.redis-streams.port=" + redis.port(), 1700086400000L);
        assertTrue(app.log.contains("analytics-events"), app.log);
    }

    /** Starts the command, adds one business event of {@code day} and waits for its report, then SIGTERM: exit code 0. */
    private static Shell countsAnEventAndStopsOnSigterm(String command, Map<String, String> env, String jvmOptions, long day)
            throws Exception {
        Path media = Files.createTempDirectory("media-root");
        Map<String, String> all = new java.util.HashMap<>(env);
        // short blocking reads: a stop waits for each consumer's current read, one consumer after the other (5 s each
        // with the shipped block-ms), which would make this test mostly waiting
        all.put("JAVA_TOOL_OPTIONS", "-Xmx384m -Dcamel.management.port=0 -Dcamel.server.port=0 -Dmedia.root=" + media
                + " -Dnotify.block-ms=500 -Dmedia.block-ms=500 -Danalytics.block-ms=500 -Dintegration.block-ms=500 " + jvmOptions);
        String report = "report:daily:" + java.time.Instant.ofEpochMilli(day).toString().substring(0, 10);
        try (Jedis jedis = jedis(); Shell app = Shell.start(command, all)) {
            jedis.xadd("business:events", new StreamEntryID(day, 0), Map.of("type", "order_created", "order_id", "1001", "user_id", "123"));
            await(report + " counted by the running routes").atMost(Duration.ofSeconds(90))
                    .until(() -> "1".equals(jedis.hget(report, "orders_created")) || !app.process.isAlive());
            assertEquals("1", jedis.hget(report, "orders_created"), app.output());
            app.process.destroy(); // SIGTERM: bash -c execs the single command, so this reaches the JVM
            assertEquals(0, app.waitForExit(60), app.output());
            app.log = app.output();
            return app;
        } finally {
            FileUtil.removeDir(media.toFile());
        }
    }

    @Test
    void validateOneRouteFile() throws Exception {
        try (Shell validate = Shell.start(DocumentedCommands.VALIDATE_FILE, Map.of())) {
            assertEquals(0, validate.waitForExit(90), validate.output());
            assertTrue(validate.output().contains("OK      routes/analytics.yaml (routes: analytics-events, analytics-replay)"), validate.output());
        }
    }

    @Test
    void jarHoldsTheComponentMetadata() throws Exception {
        try (Shell unzip = Shell.start(DocumentedCommands.JAR_METADATA, Map.of())) {
            InstalledTools.require(new java.io.File("/usr/bin/unzip").canExecute(), "unzip is not installed (Debian package unzip)");
            assertEquals(0, unzip.waitForExit(60), unzip.output());
            assertTrue(unzip.output().contains("META-INF/io/streamroutes/component/redisstreams/redis-streams.json"), unzip.output());
        }
    }

    @Test
    void editorSchemaIsInTheCamelYamlDslJar() throws Exception {
        InstalledTools.require(new java.io.File("/usr/bin/unzip").canExecute(), "unzip is not installed (Debian package unzip)");
        Path dir = Files.createTempDirectory("schema");
        try (Shell unzip = Shell.startIn(dir, DocumentedCommands.EDITOR_SCHEMA, Map.of())) {
            assertEquals(0, unzip.waitForExit(60), unzip.output());
        }
        Path schema = dir.resolve(".camel/schema/camelYamlDsl.json");
        assertTrue(Files.readString(schema, StandardCharsets.UTF_8).contains("\"$schema\""), schema.toString());
        Files.delete(schema);
        Files.delete(schema.getParent());
        Files.delete(schema.getParent().getParent());
        Files.delete(dir);
    }

    @Test
    void helpPrintsTheUsage() throws Exception {
        try (Shell help = Shell.start(DocumentedCommands.HELP, Map.of())) {
            assertEquals(0, help.waitForExit(60), help.output());
            assertTrue(help.output().contains("dlq list <stream> [--max N]"), help.output());
        }
    }

    @Test
    void deadLetterCommandsListRequeueAndPurge() throws Exception {
        Map<String, String> env = Map.of("JAVA_TOOL_OPTIONS", "-Dcamel.component.redis-streams.port=" + redis.port());
        try (Jedis jedis = jedis()) {
            jedis.xadd("integration:dead-letter", StreamEntryID.NEW_ENTRY, Map.of("provider", "stripe", "action", "create_charge",
                    "user_id", "123", "amount", "1999", "x-source-stream", "integration:tasks", "x-source-id", "1-0",
                    "x-group", "integration-workers", "x-delivery-count", "1", "x-error", "HTTP 402 from test"));

            try (Shell list = Shell.start(DocumentedCommands.DLQ_LIST, env)) {
                assertEquals(0, list.waitForExit(60), list.output());
                assertTrue(list.output().contains("1 of 1 dead letters in integration:dead-letter"), list.output());
                assertTrue(list.output().contains("HTTP 402 from test"), list.output());
            }
            try (Shell requeue = Shell.start(DocumentedCommands.DLQ_REQUEUE_ALL, env)) {
                assertEquals(0, requeue.waitForExit(60), requeue.output());
                assertTrue(requeue.output().contains("requeued 1 dead letters from integration:dead-letter"), requeue.output());
            }
            assertEquals(1, jedis.xlen("integration:tasks"));
            assertEquals(0, jedis.xlen("integration:dead-letter"));

            jedis.xadd("integration:dead-letter", StreamEntryID.NEW_ENTRY, Map.of("x-source-stream", "integration:tasks", "x-error", "e"));
            try (Shell purge = Shell.start(DocumentedCommands.DLQ_PURGE, env)) {
                assertEquals(0, purge.waitForExit(60), purge.output());
                assertTrue(purge.output().contains("purged 1 dead letters from integration:dead-letter"), purge.output());
            }
            assertEquals(0, jedis.exists("integration:dead-letter") ? jedis.xlen("integration:dead-letter") : 0);
        }
    }

    private static Jedis jedis() {
        return new Jedis(redis.host(), redis.port());
    }

    /** One documented command line run by bash in the project directory, its output in a file. */
    private static final class Shell implements AutoCloseable {
        final Process process;
        final Path output;
        String log = "";

        private Shell(Process process, Path output) {
            this.process = process;
            this.output = output;
        }

        static Shell start(String command, Map<String, String> env) throws Exception {
            return startIn(Path.of(""), command, env);
        }

        static Shell startIn(Path dir, String command, Map<String, String> env) throws Exception {
            Path output = Files.createTempFile("documented-command-", ".log");
            ProcessBuilder builder = new ProcessBuilder("bash", "-c", command).directory(dir.toAbsolutePath().toFile())
                    .redirectErrorStream(true).redirectOutput(output.toFile());
            builder.environment().putAll(env);
            return new Shell(builder.start(), output);
        }

        String output() throws Exception {
            return Files.readString(output, StandardCharsets.UTF_8);
        }

        int waitForExit(long seconds) throws Exception {
            if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
                throw new AssertionError("did not exit within " + seconds + " s:\n" + output());
            }
            return process.exitValue();
        }

        @Override
        public void close() throws Exception {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
            Files.deleteIfExists(output);
        }
    }
}
