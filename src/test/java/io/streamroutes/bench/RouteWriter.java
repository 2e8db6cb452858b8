package io.streamroutes.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;

/**
 * Our producer: {@code from("direct:bench").to("redis-streams:<key>")}, fed by a ProducerTemplate with one map per
 * send, or (batched) with a list of {@code batchSize} maps per send, which the component adds in one round trip: as
 * one transaction, or ({@code atomicBatch=false}) as pipelined XADDs.
 */
final class RouteWriter implements StreamWriter {

    static final int BATCH = 1000;

    private static final String INPUT = "direct:bench";

    private final BenchRedis redis;
    private final int batchSize;
    private final boolean atomicBatch;
    private final List<Map<String, String>> batch = new ArrayList<>();
    private CamelContext context;
    private ProducerTemplate template;
    private Endpoint input;

    RouteWriter(BenchRedis redis, int batchSize) {
        this(redis, batchSize, true);
    }

    RouteWriter(BenchRedis redis, int batchSize, boolean atomicBatch) {
        this.redis = redis;
        this.batchSize = batchSize;
        this.atomicBatch = atomicBatch;
    }

    @Override
    public String id() {
        return batchSize == 1 ? "route-producer" : atomicBatch ? "route-producer-batch" : "route-producer-pipelined";
    }

    @Override
    public String name() {
        return batchSize == 1 ? "our route to(redis-streams:)"
                : "our route, List body of " + batchSize + (atomicBatch ? "" : ", atomicBatch=false");
    }

    @Override
    public boolean synchronous() {
        return batchSize == 1;
    }

    @Override
    public void open(String key) throws Exception {
        context = RouteDrainer.newContext(redis);
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(INPUT).to("redis-streams:" + key + (atomicBatch ? "" : "?atomicBatch=false"));
            }
        });
        context.start();
        template = context.createProducerTemplate();
        input = context.getEndpoint(INPUT); // resolved once, as a long-lived sender would

    }

    @Override
    public void send(Map<String, String> fields) {
        if (batchSize == 1) {
            template.sendBody(input, fields);
            return;
        }
        batch.add(fields);
        if (batch.size() == batchSize) {
            flush();
        }
    }

    @Override
    public void flush() {
        if (!batch.isEmpty()) {
            template.sendBody(input, List.copyOf(batch));
            batch.clear();
        }
    }

    @Override
    public void close() throws Exception {
        if (template != null) {
            template.close();
        }
        if (context != null) {
            context.close();
        }
    }
}
