package io.streamroutes.component.redisstreams;

import java.util.List;
import java.util.Map;

import io.streamroutes.testsupport.EmbeddedRedisExtension;
import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.impl.health.ConsumersHealthCheckRepository;
import org.apache.camel.impl.health.DefaultHealthCheckRegistry;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.params.XPendingParams;
import redis.clients.jedis.resps.StreamPendingEntry;

/**
 * Base for component tests: one real Redis server per test class ({@link EmbeddedRedisExtension}), flushed before
 * every test; the component is pointed at it through its component-level options.
 */
abstract class RedisStreamsTestSupport extends CamelTestSupport {

    @RegisterExtension
    protected static final EmbeddedRedisExtension redis = new EmbeddedRedisExtension();

    protected Jedis jedis;

    @AfterEach
    void closeJedis() {
        if (jedis != null) {
            jedis.close();
        }
    }

    protected Jedis newJedis() {
        return redis.newJedis();
    }

    @Override
    protected CamelContext createCamelContext() throws Exception {
        // runs before the context (and its consumers) start, so every test begins on an empty server
        jedis = newJedis();
        jedis.flushAll();
        CamelContext context = super.createCamelContext();
        RedisStreamsComponent component = new RedisStreamsComponent();
        component.getConfiguration().setHost(redis.host());
        component.getConfiguration().setPort(redis.port());
        context.addComponent("redis-streams", component);
        return context;
    }

    /** What camel-main sets up with camel.health.enabled=true: a health check registry with the consumers' checks. */
    protected static void addHealthChecks(CamelContext context) {
        DefaultHealthCheckRegistry registry = new DefaultHealthCheckRegistry();
        registry.setCamelContext(context);
        registry.register(new ConsumersHealthCheckRepository());
        context.getCamelContextExtension().addContextPlugin(HealthCheckRegistry.class, registry);
    }

    /** XADD with the given field/value pairs, as redis-cli would. */
    protected String xadd(String key, String... fieldsAndValues) {
        java.util.LinkedHashMap<String, String> map = new java.util.LinkedHashMap<>();
        for (int i = 0; i < fieldsAndValues.length; i += 2) {
            map.put(fieldsAndValues[i], fieldsAndValues[i + 1]);
        }
        return jedis.xadd(key, StreamEntryID.NEW_ENTRY, map).toString();
    }

    protected long pendingCount(String key, String group) {
        return jedis.xpending(key, group).getTotal();
    }

    protected List<StreamPendingEntry> pending(String key, String group) {
        return jedis.xpending(key, group, XPendingParams.xPendingParams().count(1000));
    }

    protected List<Map<String, String>> entries(String key) {
        return jedis.xrange(key, (StreamEntryID) null, (StreamEntryID) null).stream().map(e -> e.getFields()).toList();
    }
}
