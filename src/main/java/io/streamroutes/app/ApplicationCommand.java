package io.streamroutes.app;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;

import io.streamroutes.demo.DemoMode;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The jar's command line: without a command it runs the routes ({@link RunCommand}, {@code --dev} reloading them),
 * {@code --demo} runs {@link DemoMode}, {@code --replay analytics} runs {@link ReplayCommand}; {@code validate} and
 * {@code dlq} are subcommands. Usage errors exit 2 with the reason and the usage, failures exit 1.
 */
@Command(name = "java -jar redis-stream-routes.jar", sortOptions = false, synopsisHeading = "", usageHelpWidth = 120, subcommands = { ValidateCommand.class, DeadLetterCommand.class },
         customSynopsis = {
                 "usage: java -jar redis-stream-routes.jar                      run the routes (application.properties, routes/*.yaml)",
                 "       java -jar redis-stream-routes.jar --dev                run, and reload a route file of ./routes when it is saved",
                 "       java -jar redis-stream-routes.jar validate [routes-dir|file.yaml ...]",
                 "                                                              check route files and placeholders without running them",
                 "       java -jar redis-stream-routes.jar --demo [--exit-after-seconds N]",
                 "                                                              run with embedded Redis, SMTP and HTTP stand-ins",
                 "       java -jar redis-stream-routes.jar --replay analytics    rebuild report:daily:* from business:events, then exit",
                 "       java -jar redis-stream-routes.jar dlq list <stream> [--max N]",
                 "       java -jar redis-stream-routes.jar dlq requeue <stream> <id|--all>",
                 "       java -jar redis-stream-routes.jar dlq purge <stream>",
                 "" },
         footer = "Any setting can be overridden with -Dkey=value before -jar.")
final class ApplicationCommand implements Callable<Integer> {

    /** The analytics replay is the only one there is. */
    static final String REPLAY_ANALYTICS = "analytics";

    @Spec
    CommandSpec spec;

    @Option(names = "--dev", description = "Reload a route file of ./routes when it is saved (not for production).")
    boolean dev;

    @Option(names = "--demo", description = "Run the four scenarios against embedded Redis, SMTP and HTTP stand-ins.")
    boolean demo;

    @Option(names = "--exit-after-seconds", paramLabel = "N", description = "With --demo: stop after N seconds.")
    Long exitAfterSeconds;

    @Option(names = "--replay", paramLabel = REPLAY_ANALYTICS,
            description = "Rebuild report:daily:* from business:events with the routes' settings, then exit.")
    String replay;

    @Option(names = { "-h", "--help" }, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @Override
    public Integer call() throws Exception {
        if ((dev ? 1 : 0) + (demo ? 1 : 0) + (replay != null ? 1 : 0) > 1) {
            throw usage("--dev, --demo and --replay cannot be combined");
        }
        if (exitAfterSeconds != null && !demo) {
            throw usage("--exit-after-seconds goes with --demo");
        }
        if (exitAfterSeconds != null && exitAfterSeconds < 0) {
            throw usage("--exit-after-seconds needs a whole number of seconds, was " + exitAfterSeconds);
        }
        if (replay != null) {
            if (!replay.equals(REPLAY_ANALYTICS)) {
                throw usage("--replay can only replay '" + REPLAY_ANALYTICS + "', not '" + replay + "'");
            }
            return new ReplayCommand(spec.commandLine().getOut(), spec.commandLine().getErr()).run();
        }
        if (demo) {
            PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
            return new DemoMode(out, Application::createMain, Scenarios.SETTINGS_PREFIXES, StopSignals::onStop)
                    .run(exitAfterSeconds != null ? exitAfterSeconds : -1);
        }
        return new RunCommand(dev, spec.commandLine().getErr()).run();
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    /** The command line writing to {@code out} and {@code err}; a failure prints one line naming its cause and exits 1. */
    static CommandLine commandLine(java.io.PrintWriter out, java.io.PrintWriter err) {
        CommandLine commandLine = new CommandLine(new ApplicationCommand());
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setExecutionExceptionHandler((e, failed, parsed) -> {
            failed.getErr().println("redis-stream-routes: " + Application.rootMessage(e));
            return 1;
        });
        return commandLine;
    }
}
