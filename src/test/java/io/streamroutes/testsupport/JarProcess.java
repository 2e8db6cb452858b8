package io.streamroutes.testsupport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.awaitility.core.ConditionTimeoutException;

import static org.awaitility.Awaitility.await;

/**
 * The packaged application ({@code target/redis-stream-routes.jar}) running as a separate JVM, with its output in a
 * file, for tests of what an operator sees: exit codes, log lines, signals.
 */
public final class JarProcess implements AutoCloseable {

    public static final Path JAR = Path.of("target", "redis-stream-routes.jar");

    public static final List<String> FREE_HTTP_PORTS = List.of("-Dcamel.management.port=0", "-Dcamel.server.port=0");

    private final Process process;
    private final Path output;

    private JarProcess(Process process, Path output) {
        this.process = process;
        this.output = output;
    }

    /** Starts {@code java [jvmOptions] -jar target/redis-stream-routes.jar [args]} in the project directory. */
    public static JarProcess start(List<String> jvmOptions, String... args) throws IOException {
        return startIn(Path.of(""), jvmOptions, args);
    }

    /** The same, with {@code workDir} as the working directory (its application.properties and routes/). */
    public static JarProcess startIn(Path workDir, List<String> jvmOptions, String... args) throws IOException {
        return startIn(workDir, jvmOptions, Map.of(), args);
    }

    /** The same, with {@code environment} added to this JVM's environment (credentials, LOG_FORMAT, ...). */
    public static JarProcess startIn(Path workDir, List<String> jvmOptions, Map<String, String> environment, String... args)
            throws IOException {
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException(JAR + " is missing: run the *IT tests with mvn verify (after package)");
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // the HTTP servers on ports the system picks (never the shipped 9876/8080); a test's own -D comes later and wins
        command.addAll(FREE_HTTP_PORTS);
        command.addAll(jvmOptions);
        command.add("-jar");
        command.add(JAR.toAbsolutePath().toString());
        command.addAll(List.of(args));
        Path output = Files.createTempFile("redis-stream-routes-", ".log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toAbsolutePath().toFile()).redirectErrorStream(true)
                .redirectOutput(output.toFile());
        builder.environment().putAll(environment);
        Process process = builder.start();
        return new JarProcess(process, output);
    }

    public String output() {
        try {
            return Files.readString(output, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Waits until the output matches, returning the first match; fails with the output when it does not appear in time. */
    public Matcher awaitOutput(Pattern pattern, long timeoutMs) throws InterruptedException {
        AtomicReference<Matcher> match = new AtomicReference<>();
        try {
            await(pattern + " in the output").atMost(Duration.ofMillis(timeoutMs)).pollInSameThread().until(() -> {
                Matcher m = pattern.matcher(output());
                if (m.find()) {
                    match.set(m);
                    return true;
                }
                return !process.isAlive(); // no more output to come
            });
        } catch (ConditionTimeoutException e) {
            // reported below, with the output
        }
        if (match.get() == null) {
            throw new AssertionError("No " + pattern + " in the output:\n" + output());
        }
        return match.get();
    }

    /** SIGTERM, as a process supervisor or {@code kill} sends it. */
    public void terminate() {
        process.destroy();
    }

    /** SIGKILL: the process dies without any cleanup, as after a crash or an OOM kill. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    public int waitForExit(long timeoutMs) throws InterruptedException {
        if (!process.waitFor(timeoutMs, TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("Process did not exit within " + timeoutMs + " ms:\n" + output());
        }
        return process.exitValue();
    }

    @Override
    public void close() throws IOException {
        if (process.isAlive()) {
            // the demo's embedded Redis is a child process: it would outlive a SIGKILLed JVM
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Files.deleteIfExists(output);
    }
}
