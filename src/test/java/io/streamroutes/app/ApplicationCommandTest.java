package io.streamroutes.app;

import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command line's words, its help and its usage errors (exit 2, the reason first), without running anything. */
class ApplicationCommandTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return ApplicationCommand.commandLine(new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), true),
                new PrintWriter(new OutputStreamWriter(err, StandardCharsets.UTF_8), true)).execute(args);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void helpListsEveryCommand() {
        assertEquals(0, run("--help"));
        String help = out.toString(StandardCharsets.UTF_8);
        for (String line : new String[] { "--dev", "validate [routes-dir|file.yaml ...]", "--demo [--exit-after-seconds N]",
                "--replay analytics", "dlq list <stream> [--max N]", "dlq requeue <stream> <id|--all>", "dlq purge <stream>",
                "Any setting can be overridden with -Dkey=value before -jar." }) {
            assertTrue(help.contains(line), line + " in\n" + help);
        }
        assertEquals(0, run("-h"));
    }

    @Test
    void unknownWordsAreUsageErrors() {
        assertEquals(2, run("--bogus"));
        assertTrue(err().contains("Unknown option: '--bogus'") && err().contains("usage: java -jar redis-stream-routes.jar"), err());
    }

    @Test
    void demoOptionsAreChecked() {
        assertEquals(2, run("--demo", "--exit-after-seconds", "soon"));
        assertTrue(err().contains("--exit-after-seconds"), err());
        assertEquals(2, run("--exit-after-seconds", "5"));
        assertTrue(err().contains("--exit-after-seconds goes with --demo"), err());
        assertEquals(2, run("--demo", "--exit-after-seconds", "-1"));
        assertTrue(err().contains("whole number of seconds"), err());
        assertEquals(2, run("--demo", "--dev"));
        assertTrue(err().contains("cannot be combined"), err());
    }

    @Test
    void replayNamesWhatItReplays() {
        assertEquals(2, run("--replay"));
        assertTrue(err().contains("--replay"), err());
        assertEquals(2, run("--replay", "everything"));
        assertTrue(err().contains("--replay can only replay 'analytics', not 'everything'"), err());
    }

    @Test
    void deadLetterUsageErrorsNeedNoRedis() {
        assertEquals(2, run("dlq"));
        assertTrue(err().contains("Missing required subcommand"), err());
        assertEquals(2, run("dlq", "list"));
        assertTrue(err().contains("<deadLetterStream>"), err());
        assertEquals(2, run("dlq", "list", "integration:dead-letter", "--max", "0"));
        assertTrue(err().contains("--max needs a whole number of 1 or more, was 0"), err());
        assertEquals(2, run("dlq", "list", "integration:dead-letter", "--max", "many"));
        assertEquals(2, run("dlq", "requeue", "integration:dead-letter"));
        assertTrue(err().contains("requeue needs either one entry id or --all"), err());
        assertEquals(2, run("dlq", "requeue", "integration:dead-letter", "1-0", "--all"));
        assertEquals(2, run("dlq", "purge"));
        assertEquals(2, run("dlq", "frobnicate", "x"));
    }

    @Test
    void validateWithoutRouteFilesSaysSo() {
        assertEquals(2, run("validate", "no-such-dir"));
        assertTrue(err().contains("validate: no such file or directory: no-such-dir"), err());
    }
}
