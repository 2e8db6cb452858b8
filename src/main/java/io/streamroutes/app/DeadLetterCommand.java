package io.streamroutes.app;

import java.io.PrintStream;
import java.util.List;

import io.streamroutes.component.redisstreams.RedisStreamsConfiguration;
import io.streamroutes.component.redisstreams.RedisStreamsEndpoint;
import io.streamroutes.component.redisstreams.client.DeadLetterStream;
import io.streamroutes.component.redisstreams.client.RedisStreamsClient;
import io.streamroutes.component.redisstreams.client.StreamEntry;
import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;

/**
 * {@code dlq list <stream> [--max N]}, {@code dlq requeue <stream> <id|--all>}, {@code dlq purge <stream>}: the JMX
 * dead-letter operations for scripts, connected through the redis-streams component exactly as camel-main configures it
 * for the routes. Exit codes: 0 done, 1 failed (Redis unreachable, no such entry), 2 bad usage.
 */
final class DeadLetterCommand {

    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;

    static final String USAGE_TEXT = """
            usage: dlq list <deadLetterStream> [--max N]
                   dlq requeue <deadLetterStream> <id|--all>
                   dlq purge <deadLetterStream>""";

    private final PrintStream out;
    private final PrintStream err;

    DeadLetterCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    /** Runs the command with the application's configuration (application.properties, -D), read by camel-main. */
    int run(List<String> args) {
        if (args.size() < 2) {
            err.println(USAGE_TEXT);
            return USAGE;
        }
        Main main = configuredMain();
        try {
            main.start();
            return run(args, main.getCamelContext());
        } catch (Exception e) {
            err.println("dlq " + args.get(0) + ": cannot start: " + Application.rootMessage(e));
            return FAILED;
        } finally {
            main.stop();
        }
    }

    /**
     * camel-main with the application's configuration but no routes: only the redis-streams component as
     * camel.component.redis-streams.* configures it for the routes (standalone, Sentinel, Cluster, TLS, credentials).
     */
    static Main configuredMain() {
        return Application.toolMain("dlq", "classpath:no-routes-for-dlq/*.yaml");
    }

    /** The command against the redis-streams component of a running context. */
    int run(List<String> args, CamelContext context) {
        if (args.size() < 2) {
            err.println(USAGE_TEXT);
            return USAGE;
        }
        String verb = args.get(0);
        String stream = args.get(1);
        RedisStreamsEndpoint endpoint = context.getEndpoint("redis-streams:" + stream, RedisStreamsEndpoint.class);
        try (RedisStreamsClient client = endpoint.newClient()) {
            DeadLetterStream dlq = new DeadLetterStream(client, stream);
            return switch (verb) {
                case "list" -> list(dlq, args);
                case "requeue" -> requeue(dlq, args);
                case "purge" -> purge(dlq, args);
                default -> {
                    err.println("unknown dlq command '" + verb + "'\n" + USAGE_TEXT);
                    yield USAGE;
                }
            };
        } catch (IllegalArgumentException e) {
            err.println("dlq " + verb + ": " + e.getMessage());
            return FAILED;
        } catch (RuntimeException e) {
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            err.println("dlq " + verb + ": cannot talk to Redis at " + where(endpoint) + ": " + root.getMessage());
            return FAILED;
        }
    }

    private static String where(RedisStreamsEndpoint endpoint) {
        RedisStreamsConfiguration c = endpoint.getConfiguration();
        if (c.getClusterNodes() != null && !c.getClusterNodes().isBlank()) {
            return "cluster " + c.getClusterNodes();
        }
        if (c.getSentinelMaster() != null && !c.getSentinelMaster().isBlank()) {
            return "sentinel master " + c.getSentinelMaster() + " via " + c.getSentinelNodes();
        }
        // TLS as the component decides it: ssl=true, or SSLContextParameters (the endpoint's, or the global ones)
        return c.getHost() + ":" + c.getPort() + (endpoint.getComponent().usesTls(c) ? " (TLS)" : "");
    }

    private int list(DeadLetterStream dlq, List<String> args) {
        int max = 20;
        if (args.size() == 4 && args.get(2).equals("--max")) {
            try {
                max = Integer.parseInt(args.get(3));
            } catch (NumberFormatException e) {
                max = -1;
            }
        } else if (args.size() != 2) {
            max = -1;
        }
        if (max < 1) {
            err.println(USAGE_TEXT);
            return USAGE;
        }
        List<StreamEntry> entries = dlq.list(max);
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
        out.println(entries.size() + " of " + dlq.length() + " dead letters in " + dlq.key());
        return OK;
    }

    private int requeue(DeadLetterStream dlq, List<String> args) {
        if (args.size() != 3) {
            err.println(USAGE_TEXT);
            return USAGE;
        }
        if (args.get(2).equals("--all")) {
            out.println("requeued " + dlq.requeueAll() + " dead letters from " + dlq.key());
        } else {
            String newId = dlq.requeue(args.get(2));
            out.println("requeued " + args.get(2) + " as " + newId);
        }
        return OK;
    }

    private int purge(DeadLetterStream dlq, List<String> args) {
        if (args.size() != 2) {
            err.println(USAGE_TEXT);
            return USAGE;
        }
        out.println("purged " + dlq.purge() + " dead letters from " + dlq.key());
        return OK;
    }

    private static String oneLine(String s) {
        String flat = s.replaceAll("[\\r\\n\\t]+", " ");
        return flat.length() > 120 ? flat.substring(0, 117) + "..." : flat;
    }
}
