package io.streamroutes.component.redisstreams;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.engine.PooledExchangeFactory;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.StreamEntryID;

/**
 * With pooled exchanges (camel.main.exchange-factory = pooled) every failed entry still goes through the route's
 * error handler. Camel 4.17 resets a released pooled exchange without clearing its failure-handled mark, and its
 * error handler skips a failure on an exchange so marked: without the consumer clearing the mark, the exchange
 * reused after a failure would bypass onException (and the "Failed delivery" line).
 */
class RedisStreamsPooledExchangeTest extends RedisStreamsTestSupport {

    private static final String KEY = "pooled:tasks";
    private static final String GROUP = "workers";
    private static final String DEAD = "pooled:dead-letter";

    private final Set<String> handled = ConcurrentHashMap.newKeySet();

    @Override
    protected CamelContext createCamelContext() throws Exception {
        CamelContext context = super.createCamelContext();
        // what camel-main does for camel.main.exchange-factory = pooled
        context.getCamelContextExtension().setExchangeFactory(new PooledExchangeFactory());
        return context;
    }

    @Test
    void everyFailureOfAReusedExchangeReachesOnException() throws Exception {
        jedis.xgroupCreate(KEY, GROUP, new StreamEntryID(0, 0), true);
        // concurrency 1: one exchange at a time, so each entry after the first runs on the exchange released before it
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("redis-streams:" + KEY + "?group=" + GROUP + "&consumer=c1&block=100&deadLetterStream=" + DEAD)
                        .onException(IllegalStateException.class).handled(true)
                            .process(e -> handled.add(e.getMessage().getHeader(RedisStreamsConstants.ENTRY_ID, String.class)))
                        .end()
                        .throwException(new IllegalStateException("bad entry"));
            }
        });
        List<String> ids = List.of(xadd(KEY, "n", "1"), xadd(KEY, "n", "2"), xadd(KEY, "n", "3"));

        Awaitility.await("each failure handled by onException").atMost(Duration.ofSeconds(10))
                .until(() -> handled.containsAll(ids));
        Awaitility.await("all acked").atMost(Duration.ofSeconds(5)).until(() -> pendingCount(KEY, GROUP) == 0);
        assertEquals(0, jedis.exists(DEAD) ? jedis.xlen(DEAD) : 0, "a handled failure is acked, never dead-lettered");
    }
}
