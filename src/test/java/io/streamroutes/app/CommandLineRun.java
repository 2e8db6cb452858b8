package io.streamroutes.app;

import java.io.ByteArrayOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;

/** The command line run in-process as {@link Application#main} runs it, with what it printed kept for the test. */
final class CommandLineRun {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    /** Runs the command line; its exit code. */
    int run(String... args) {
        return ApplicationCommand.commandLine(new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), true),
                new PrintWriter(new OutputStreamWriter(err, StandardCharsets.UTF_8), true)).execute(args);
    }

    /** Runs {@code dlq} with the given arguments; its exit code. */
    int dlq(String... args) {
        return run(Stream.concat(Stream.of("dlq"), Stream.of(args)).toArray(String[]::new));
    }

    /** What it printed on its standard output so far. */
    String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    /** What it printed on its standard error so far. */
    String err() {
        return err.toString(StandardCharsets.UTF_8);
    }
}
