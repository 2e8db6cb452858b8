package io.streamroutes.app;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.streamroutes.component.redisstreams.ManagedRedisStreamsConsumer;
import io.streamroutes.component.redisstreams.RedisStreamsConsumer;
import io.streamroutes.component.redisstreams.RedisStreamsStatistics;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.component.micrometer.MicrometerConstants;
import org.apache.camel.component.micrometer.routepolicy.MicrometerRoutePolicyFactory;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Optional Prometheus metrics ({@code metrics.prometheus.port} &gt; 0): the redis-streams consumers' counters and
 * pending count, Camel's route metrics (camel-micrometer) and JVM memory/threads, served as text on
 * {@code http://<metrics.prometheus.host>:<port>/metrics}.
 */
final class PrometheusMetrics extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(PrometheusMetrics.class);

    static final String PORT = "metrics.prometheus.port";
    static final String HOST = "metrics.prometheus.host";

    private final CamelContext context;
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final String host;
    private final int port;
    private HttpServer server;

    private PrometheusMetrics(CamelContext context, String host, int port) {
        this.context = context;
        this.host = host;
        this.port = port;
    }

    /** Before the routes start: route metrics need their policy from the beginning. */
    static void configureIfEnabled(CamelContext context) throws Exception {
        int port = Integer.parseInt(context.getPropertiesComponent().resolveProperty(PORT).orElse("0").trim());
        if (port <= 0) {
            return;
        }
        String host = context.getPropertiesComponent().resolveProperty(HOST).orElse("127.0.0.1").trim();
        PrometheusMetrics metrics = new PrometheusMetrics(context, host, port);
        context.getRegistry().bind(MicrometerConstants.METRICS_REGISTRY_NAME, metrics.registry);
        MicrometerRoutePolicyFactory routeMetrics = new MicrometerRoutePolicyFactory();
        routeMetrics.setMeterRegistry(metrics.registry);
        context.addRoutePolicyFactory(routeMetrics);
        context.addService(metrics, true, true);
    }

    @Override
    protected void doStart() throws IOException {
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        server = HttpServer.create(new InetSocketAddress(host, port), 0);
        server.createContext("/metrics", exchange -> {
            bindNewConsumers();
            byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        LOG.info("Prometheus metrics on http://{}:{}/metrics", host, server.getAddress().getPort());
    }

    /** Meters for every redis-streams consumer running now (a restarted route brings a new consumer). */
    private void bindNewConsumers() {
        for (Route route : context.getRoutes()) {
            if (route.getConsumer() instanceof RedisStreamsConsumer consumer) {
                Tags tags = Tags.of("stream", consumer.getEndpoint().getStreamKey(), "group",
                        String.valueOf(consumer.getEndpoint().getConfiguration().getGroup()), "routeId", route.getRouteId());
                RedisStreamsStatistics stats = consumer.getStatistics();
                counter("redis.streams.delivered", "entries handed to the route", tags, stats, RedisStreamsStatistics::getDelivered);
                counter("redis.streams.acked", "entries acknowledged", tags, stats, RedisStreamsStatistics::getAcked);
                counter("redis.streams.failed", "exchanges that failed", tags, stats, RedisStreamsStatistics::getFailed);
                counter("redis.streams.claimed", "entries taken over with XAUTOCLAIM", tags, stats, RedisStreamsStatistics::getClaimed);
                counter("redis.streams.dead.lettered", "entries moved to the dead-letter stream", tags, stats,
                        RedisStreamsStatistics::getDeadLettered);
                if (consumer.getEndpoint().getConfiguration().getGroup() != null
                    && registry.find("redis.streams.pending").tags(tags).gauge() == null) {
                    ManagedRedisStreamsConsumer view = new ManagedRedisStreamsConsumer(consumer);
                    // strongly held: Micrometer keeps only a weak reference by default, and nothing else holds the view,
                    // so after a garbage collection the gauge would read NaN
                    Gauge.builder("redis.streams.pending", view, PrometheusMetrics::pendingOrNaN).strongReference(true)
                            .description("entries delivered to the group and not acknowledged").tags(tags).register(registry);
                }
            }
        }
    }

    private void counter(String name, String description, Tags tags, RedisStreamsStatistics stats,
                         java.util.function.ToDoubleFunction<RedisStreamsStatistics> value) {
        FunctionCounter.builder(name, stats, value).description(description).tags(tags).register(registry);
    }

    private static double pendingOrNaN(ManagedRedisStreamsConsumer view) {
        try {
            return view.getPendingCount();
        } catch (RuntimeException redisUnreachable) {
            return Double.NaN;
        }
    }

    @Override
    protected void doStop() {
        if (server != null) {
            server.stop(0);
        }
        registry.close();
    }
}
