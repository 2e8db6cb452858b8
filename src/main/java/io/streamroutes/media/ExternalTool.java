package io.streamroutes.media;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A command-line imaging tool (vips, cwebp) run once per image with a time limit. Its standard output and error go to
 * a temporary file so a chatty tool can never block on a full pipe; the last line of its error output is its reason.
 */
final class ExternalTool {

    /** The tool ran and refused the input (exit code not 0): its own reason, for the dead-letter entry. */
    static final class Refused extends IOException {
        Refused(String message) {
            super(message);
        }
    }

    private final String command;
    private final Duration timeout;

    ExternalTool(String command, Duration timeout) {
        this.command = command;
        this.timeout = timeout;
    }

    String command() {
        return command;
    }

    /**
     * Runs {@code command args...}. A tool that cannot be started or times out is an ordinary {@link IOException}
     * (the task is retried: the machine, not the file, is at fault); a non-zero exit is {@link Refused}.
     */
    void run(List<String> args) throws IOException {
        List<String> line = new ArrayList<>(args.size() + 1);
        line.add(command);
        line.addAll(args);
        Path output = Files.createTempFile("media-tool-", ".log");
        try {
            Process process = new ProcessBuilder(line).redirectErrorStream(true).redirectOutput(output.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            boolean finished;
            try {
                finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new IOException(command + " interrupted", e);
            }
            if (!finished) {
                process.destroyForcibly();
                throw new IOException(command + " did not finish within " + timeout.toSeconds() + " s");
            }
            if (process.exitValue() != 0) {
                throw new Refused(command + ": " + lastLine(output));
            }
        } finally {
            Files.deleteIfExists(output);
        }
    }

    private static String lastLine(Path output) throws IOException {
        List<String> lines = Files.readAllLines(output, StandardCharsets.UTF_8).stream().map(String::strip)
                .filter(s -> !s.isEmpty()).toList();
        if (lines.isEmpty()) {
            return "failed without a message";
        }
        String last = lines.get(lines.size() - 1);
        return last.length() > 300 ? last.substring(0, 300) + "..." : last;
    }
}
