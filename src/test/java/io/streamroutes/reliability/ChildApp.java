package io.streamroutes.reliability;

import io.streamroutes.testsupport.InstalledTools;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.streamroutes.testsupport.JarProcess;
import io.streamroutes.testsupport.StderrCapture;


/**
 * The real runnable jar ({@code target/redis-stream-routes.jar}) as a child JVM, configured with {@code -Dkey=value}
 * like an operator would, its output captured in a file under {@code target/reliability/}. {@link #kill()} is a
 * {@code kill -9}: no shutdown hook, no ack flush.
 */
final class ChildApp implements AutoCloseable {

    static final Path JAR = Path.of("target", "redis-stream-routes.jar");
    static final Path OUTPUT_DIR = Path.of("target", "reliability");
    /** Loads only the reliability route (camelCase key: it also replaces the jar's default pattern for route beans). */
    static final String ROUTES_PROPERTY = "camel.main.routesIncludePattern";
    static final String RECORDING_ROUTE = "file:src/test/resources/reliability/recording-route.yaml";

    private final Process process;
    private final Path output;

    private ChildApp(Process process, Path output) {
        this.process = process;
        this.output = output;
    }

    /** Skips the calling test, with the reason, when the jar has not been built. */
    static void assumeJarBuilt() {
        InstalledTools.require(Files.isRegularFile(JAR), JAR + " not built (run `mvn package` or `mvn verify`)");
    }

    /** Settings every child needs: where Redis is, and the reliability route only. */
    static Map<String, String> redisAt(String host, int port) {
        Map<String, String> props = new LinkedHashMap<>();
        props.put("camel.component.redis-streams.host", host);
        props.put("camel.component.redis-streams.port", Integer.toString(port));
        props.put(ROUTES_PROPERTY, RECORDING_ROUTE);
        props.put("camel.main.shutdown-timeout", "10");
        return props;
    }

    static ChildApp start(String logName, String maxHeap, Map<String, String> systemProperties) throws IOException {
        return start(logName, maxHeap, systemProperties, Map.of());
    }

    /** With extra environment variables, e.g. secrets, which unlike -D options are not shown by JMX or ps. */
    static ChildApp start(String logName, String maxHeap, Map<String, String> systemProperties, Map<String, String> environment)
            throws IOException {
        assumeJarBuilt();
        Files.createDirectories(OUTPUT_DIR);
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx" + maxHeap);
        command.addAll(JarProcess.FREE_HTTP_PORTS);
        systemProperties.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.add("-jar");
        command.add(JAR.toString());
        Path output = OUTPUT_DIR.resolve(logName + ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().putAll(environment);
        Process process = builder.start();
        return new ChildApp(process, output);
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL, like {@code kill -9}: the JVM gets no chance to ack or clean up. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("child " + process.pid() + " survived SIGKILL for 30 s");
        }
    }

    /** SIGTERM: the application stops gracefully and exits 0; fails if it did not, or Camel did not log its shutdown. */
    void stopGracefully() throws InterruptedException, IOException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            kill();
            throw new AssertionError("child " + process.pid() + " did not stop within 60 s of SIGTERM");
        }
        if (process.exitValue() != 0 || lines("Apache Camel", "shutdown in").isEmpty()) {
            throw new AssertionError("child " + process.pid() + " exited with " + process.exitValue()
                                     + " (expected 0 after a logged Camel shutdown); see " + output);
        }
    }

    String output() throws IOException {
        return Files.readString(output, StandardCharsets.UTF_8);
    }

    Path outputFile() {
        return output;
    }

    /** Output lines containing all the given fragments. */
    List<String> lines(String... fragments) throws IOException {
        return output().lines().filter(line -> StderrCapture.containsAll(line, fragments)).toList();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
