package io.streamroutes.bench;

import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;

/** Our producer: {@code from("direct:bench").to("redis-streams:<key>")}, fed by a ProducerTemplate. */
final class RouteWriter implements StreamWriter {

    private static final String INPUT = "direct:bench";

    private final BenchRedis redis;
    private CamelContext context;
    private ProducerTemplate template;
    private Endpoint input;

    RouteWriter(BenchRedis redis) {
        this.redis = redis;
    }

    @Override
    public String id() {
        return "route-producer";
    }

    @Override
    public String name() {
        return "our route to(redis-streams:)";
    }

    @Override
    public boolean synchronous() {
        return true;
    }

    @Override
    public void open(String key) throws Exception {
        context = RouteDrainer.newContext(redis);
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(INPUT).to("redis-streams:" + key);
            }
        });
        context.start();
        template = context.createProducerTemplate();
        input = context.getEndpoint(INPUT); // resolved once, as a long-lived sender would

    }

    @Override
    public void send(Map<String, String> fields) {
        template.sendBody(input, fields);
    }

    @Override
    public void flush() {
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
