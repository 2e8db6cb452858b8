package io.streamroutes.bench;

import java.util.LinkedHashMap;
import java.util.Map;

import io.streamroutes.testsupport.ScenarioApp;

/**
 * The real application running only routes/integration.yaml (camel-main, the repository's application.properties),
 * with the provider's URL pointed at the stand-in and {@code integration.concurrency} set, as an operator would with
 * {@code -Dkey=value}.
 */
final class IntegrationRouteContestant implements IoContestant {

    private final BenchRedis redis;
    private final String providerUrl;
    private final int concurrency;
    private ScenarioApp app;

    IntegrationRouteContestant(BenchRedis redis, String providerUrl, int concurrency) {
        this.redis = redis;
        this.providerUrl = providerUrl;
        this.concurrency = concurrency;
    }

    @Override
    public String id() {
        return "io-route-c" + concurrency;
    }

    @Override
    public String name() {
        return "integration.yaml, concurrency=" + concurrency;
    }

    @Override
    public int concurrency() {
        return concurrency;
    }

    @Override
    public void start() throws Exception {
        Map<String, String> props = new LinkedHashMap<>();
        props.put("integration.provider." + IoTasks.PROVIDER + ".url", providerUrl);
        props.put("integration.concurrency", Integer.toString(concurrency));
        props.put("integration.consumer", "bench-route");
        // with a backlog BLOCK is never reached; short so that stopping does not wait for a blocked read
        props.put("integration.block-ms", "100");
        app = ScenarioApp.start(redis.host(), redis.port(), props, "routes/integration.yaml");
    }

    @Override
    public void close() {
        if (app != null) {
            app.close();
        }
    }
}
