package io.streamroutes.app;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command line's words, its help and its usage errors (exit 2, the reason first), without running anything. */
class ApplicationCommandTest {

    private final CommandLineRun cli = new CommandLineRun();

    @Test
    void helpListsEveryCommand() {
        assertEquals(0, cli.run("--help"));
        String help = cli.out();
        for (String line : new String[] { "--dev", "validate [routes-dir|file.yaml ...]", "--demo [--exit-after-seconds N]",
                "--replay analytics", "dlq list <stream> [--max N]", "dlq requeue <stream> <id|--all>", "dlq purge <stream>",
                "Any setting can be overridden with -Dkey=value before -jar." }) {
            assertTrue(help.contains(line), line + " in\n" + help);
        }
        assertEquals(0, cli.run("-h"));
    }

    @Test
    void unknownWordsAreUsageErrors() {
        assertEquals(2, cli.run("--bogus"));
        assertTrue(cli.err().contains("Unknown option: '--bogus'") && cli.err().contains("usage: java -jar redis-stream-routes.jar"), cli.err());
    }

    @Test
    void demoOptionsAreChecked() {
        assertEquals(2, cli.run("--demo", "--exit-after-seconds", "soon"));
        assertTrue(cli.err().contains("--exit-after-seconds"), cli.err());
        assertEquals(2, cli.run("--exit-after-seconds", "5"));
        assertTrue(cli.err().contains("--exit-after-seconds goes with --demo"), cli.err());
        assertEquals(2, cli.run("--demo", "--exit-after-seconds", "-1"));
        assertTrue(cli.err().contains("whole number of seconds"), cli.err());
        assertEquals(2, cli.run("--demo", "--dev"));
        assertTrue(cli.err().contains("cannot be combined"), cli.err());
    }

    @Test
    void replayNamesWhatItReplays() {
        assertEquals(2, cli.run("--replay"));
        assertTrue(cli.err().contains("--replay"), cli.err());
        assertEquals(2, cli.run("--replay", "everything"));
        assertTrue(cli.err().contains("--replay can only replay 'analytics', not 'everything'"), cli.err());
    }

    @Test
    void deadLetterUsageErrorsNeedNoRedis() {
        assertEquals(2, cli.run("dlq"));
        assertTrue(cli.err().contains("Missing required subcommand"), cli.err());
        assertEquals(2, cli.run("dlq", "list"));
        assertTrue(cli.err().contains("<deadLetterStream>"), cli.err());
        assertEquals(2, cli.run("dlq", "list", "integration:dead-letter", "--max", "0"));
        assertTrue(cli.err().contains("--max needs a whole number of 1 or more, was 0"), cli.err());
        assertEquals(2, cli.run("dlq", "list", "integration:dead-letter", "--max", "many"));
        assertEquals(2, cli.run("dlq", "requeue", "integration:dead-letter"));
        assertTrue(cli.err().contains("requeue needs either one entry id or --all"), cli.err());
        assertEquals(2, cli.run("dlq", "requeue", "integration:dead-letter", "1-0", "--all"));
        assertEquals(2, cli.run("dlq", "purge"));
        assertEquals(2, cli.run("dlq", "frobnicate", "x"));
    }

    @Test
    void validateWithoutRouteFilesSaysSo() {
        assertEquals(2, cli.run("validate", "no-such-dir"));
        assertTrue(cli.err().contains("validate: no such file or directory: no-such-dir"), cli.err());
    }
}
