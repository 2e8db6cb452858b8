package io.streamroutes.bench;

import java.util.Map;

import io.streamroutes.component.redisstreams.RedisStreamsComponent;
import org.apache.camel.CamelContext;
import org.apache.camel.Processor;
import org.apache.camel.builder.RouteBuilder;

/**
 * Our route: {@code redis-streams:} consumer (COUNT 100 like the baseline) → a trivial processor → ack on completion,
 * in a plain Camel context with the application's per-exchange settings ({@link ApplicationCamelSettings}; JMX
 * statistics on when camel-management is present, as in the application).
 */
final class RouteDrainer implements Drainer {

    static final String ROUTE_ID = "bench-drain";

    private final String host;
    private final int port;
    private final int concurrentConsumers;
    /** batching=true: one exchange per read, its body the list of the entries' exchanges. */
    private final boolean batching;
    private CamelContext context;

    RouteDrainer(BenchRedis redis, int concurrentConsumers) {
        this(redis.host(), redis.port(), concurrentConsumers, false);
    }

    RouteDrainer(String host, int port, int concurrentConsumers) {
        this(host, port, concurrentConsumers, false);
    }

    private RouteDrainer(String host, int port, int concurrentConsumers, boolean batching) {
        this.host = host;
        this.port = port;
        this.concurrentConsumers = concurrentConsumers;
        this.batching = batching;
    }

    /** The same route with batching=true on one reading thread: the trivial processing per entry of each batch. */
    static RouteDrainer batching(BenchRedis redis) {
        return new RouteDrainer(redis.host(), redis.port(), 1, true);
    }

    @Override
    public String id() {
        return batching ? BenchReport.OUR_BATCH_DRAIN : "route-c" + concurrentConsumers;
    }

    @Override
    public String name() {
        return batching ? "our route, batching=true (1 thread)" : "our route, concurrentConsumers=" + concurrentConsumers;
    }

    @Override
    public void prepare(String key, EntrySink sink) throws Exception {
        context = newContext(host, port);
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("redis-streams:" + key + "?group=" + BenchStreams.GROUP + "&consumer=route&count=" + RawJedisDrainer.COUNT
                     + "&block=100&concurrentConsumers=" + concurrentConsumers + (batching ? "&batching=true" : ""))
                        .routeId(ROUTE_ID).autoStartup(false)
                        .process(batching ? batchProcessing(sink) : processing(sink));
            }
        });
        context.start();
    }

    /** The trivial processing of every entry: its field map (the body) to the sink. */
    static Processor processing(EntrySink sink) {
        return exchange -> sink.accept(exchange.getIn().getBody(Map.class));
    }

    /** The same processing for each entry of a batch (the body lists one exchange per entry). */
    static Processor batchProcessing(EntrySink sink) {
        return exchange -> {
            for (Object entry : exchange.getIn().getBody(java.util.List.class)) {
                sink.accept(((org.apache.camel.Exchange) entry).getIn().getBody(Map.class));
            }
        };
    }

    /** A Camel context whose redis-streams component points at the benchmark's Redis. */
    static CamelContext newContext(BenchRedis redis) {
        return newContext(redis.host(), redis.port());
    }

    static CamelContext newContext(String host, int port) {
        CamelContext context = ApplicationCamelSettings.newContext();
        RedisStreamsComponent component = new RedisStreamsComponent();
        component.getConfiguration().setHost(host);
        component.getConfiguration().setPort(port);
        context.addComponent("redis-streams", component);
        return context;
    }

    @Override
    public void start() throws Exception {
        context.getRouteController().startRoute(ROUTE_ID);
    }

    @Override
    public void close() {
        if (context != null) {
            context.stop();
        }
    }
}
