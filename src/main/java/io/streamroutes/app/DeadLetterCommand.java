package io.streamroutes.app;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.ToIntFunction;

import io.streamroutes.component.redisstreams.RedisStreamsComponent;
import io.streamroutes.component.redisstreams.RedisStreamsConfiguration;
import io.streamroutes.component.redisstreams.client.DeadLetterStream;
import io.streamroutes.component.redisstreams.client.RedisStreamsClient;
import io.streamroutes.component.redisstreams.client.StreamEntry;
import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code dlq list <stream> [--max N]}, {@code dlq requeue <stream> <id|--all>}, {@code dlq purge <stream>}: the JMX
 * dead-letter operations for scripts, connected through the redis-streams component exactly as camel-main configures it
 * for the routes. Exit codes: 0 done, 1 failed (Redis unreachable, no such entry), 2 bad usage.
 */
@Command(name = "dlq", usageHelpWidth = 120, description = "List, requeue or purge a dead-letter stream.",
         subcommands = { DeadLetterCommand.ListDeadLetters.class, DeadLetterCommand.RequeueDeadLetters.class,
                         DeadLetterCommand.PurgeDeadLetters.class })
final class DeadLetterCommand {

    static final int OK = 0;
    static final int FAILED = 1;

    @Spec
    CommandSpec spec;

    /**
     * Runs {@code action} on the dead-letter stream {@code stream}, with the application's configuration
     * (application.properties, -D) read by camel-main and no routes loaded.
     */
    int run(String verb, String stream, ToIntFunction<DeadLetterStream> action) {
        Application.quietLogging();
        PrintWriter err = spec.commandLine().getErr();
        Main main = Application.toolMain("dlq", null);
        try {
            main.start();
            return run(verb, stream, main.getCamelContext(), action);
        } catch (Exception e) {
            err.println("dlq " + verb + ": cannot start: " + Application.rootMessage(e));
            return FAILED;
        } finally {
            main.stop();
        }
    }

    private int run(String verb, String stream, CamelContext context, ToIntFunction<DeadLetterStream> action) {
        PrintWriter err = spec.commandLine().getErr();
        RedisStreamsComponent component = RedisStreamsComponent.of(context);
        try (RedisStreamsClient client = component.newClient()) {
            return action.applyAsInt(new DeadLetterStream(client, stream));
        } catch (IllegalArgumentException e) {
            err.println("dlq " + verb + ": " + e.getMessage());
            return FAILED;
        } catch (RuntimeException e) {
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            err.println("dlq " + verb + ": cannot talk to Redis at " + where(component) + ": " + root.getMessage());
            return FAILED;
        }
    }

    private static String where(RedisStreamsComponent component) {
        RedisStreamsConfiguration c = component.getConfiguration();
        if (c.getClusterNodes() != null && !c.getClusterNodes().isBlank()) {
            return "cluster " + c.getClusterNodes();
        }
        if (c.getSentinelMaster() != null && !c.getSentinelMaster().isBlank()) {
            return "sentinel master " + c.getSentinelMaster() + " via " + c.getSentinelNodes();
        }
        // TLS as the component decides it: ssl=true, or SSLContextParameters (the component's, or the global ones)
        return c.getHost() + ":" + c.getPort() + (component.usesTls(c) ? " (TLS)" : "");
    }

    /** A {@code dlq} subcommand: the dead-letter stream is its first parameter. */
    abstract static class OnOneStream implements Callable<Integer> {

        @ParentCommand
        DeadLetterCommand dlq;

        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "<deadLetterStream>")
        String stream;
    }

    @Command(name = "list", usageHelpWidth = 120, description = "Show the oldest dead letters: error, source and original fields.")
    static final class ListDeadLetters extends OnOneStream {
        @Option(names = "--max", paramLabel = "N", defaultValue = "20", description = "At most N entries (default ${DEFAULT-VALUE}).")
        int max;

        @Override
        public Integer call() {
            if (max < 1) {
                throw new ParameterException(spec.commandLine(), "--max needs a whole number of 1 or more, was " + max);
            }
            PrintWriter out = spec.commandLine().getOut();
            return dlq.run("list", stream, dead -> {
                List<StreamEntry> entries = dead.list(max);
                out.printf("%-22s %-22s %-22s %-5s %s%n", "ID", "SOURCE", "SOURCE-ID", "DELIV", "ERROR / FIELDS");
                for (StreamEntry e : entries) {
                    var f = e.fields();
                    StringBuilder original = new StringBuilder();
                    f.forEach((k, v) -> {
                        if (!DeadLetterStream.ADDED_FIELDS.contains(k)) {
                            original.append(k).append('=').append(v).append(' ');
                        }
                    });
                    out.printf("%-22s %-22s %-22s %-5s %s%n%69s%s%n", e.id(), f.getOrDefault("x-source-stream", ""),
                            f.getOrDefault("x-source-id", ""), f.getOrDefault("x-delivery-count", ""),
                            oneLine(f.getOrDefault("x-error", "")), "", original.toString().trim());
                }
                out.println(entries.size() + " of " + dead.length() + " dead letters in " + dead.key());
                return OK;
            });
        }
    }

    @Command(name = "requeue", usageHelpWidth = 120, description = "Add one dead letter (or all) back to its source stream, without the x- fields.")
    static final class RequeueDeadLetters extends OnOneStream {
        @Parameters(index = "1", arity = "0..1", paramLabel = "<id>")
        String id;

        @Option(names = "--all", description = "Requeue every dead letter of the stream.")
        boolean all;

        @Override
        public Integer call() {
            if (all == (id != null)) {
                throw new ParameterException(spec.commandLine(), "requeue needs either one entry id or --all");
            }
            PrintWriter out = spec.commandLine().getOut();
            return dlq.run("requeue", stream, dead -> {
                if (all) {
                    out.println("requeued " + dead.requeueAll() + " dead letters from " + dead.key());
                } else {
                    out.println("requeued " + id + " as " + dead.requeue(id));
                }
                return OK;
            });
        }
    }

    @Command(name = "purge", usageHelpWidth = 120, description = "Delete the dead-letter stream.")
    static final class PurgeDeadLetters extends OnOneStream {
        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            return dlq.run("purge", stream, dead -> {
                out.println("purged " + dead.purge() + " dead letters from " + dead.key());
                return OK;
            });
        }
    }

    private static String oneLine(String s) {
        String flat = s.replaceAll("[\\r\\n\\t]+", " ");
        return flat.length() > 120 ? flat.substring(0, 117) + "..." : flat;
    }
}
