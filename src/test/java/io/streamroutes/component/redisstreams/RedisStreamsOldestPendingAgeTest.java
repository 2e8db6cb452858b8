package io.streamroutes.component.redisstreams;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Protocol;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The oldest pending age on a real Redis: the gauge and the MBean attribute rise while an entry stays pending (its route
 * holds it), a new delivery does not start them again (the page's and console's figure neither), and they drop to 0
 * once the entry is acked.
 */
class RedisStreamsOldestPendingAgeTest extends RedisStreamsTestSupport {

    private static final String KEY = "age:events";
    private final MeterRegistry meters = new SimpleMeterRegistry();
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void releaseTheRoute() {
        release.countDown();
    }

    @Override
    protected CamelContext createCamelContext() throws Exception {
        CamelContext context = super.createCamelContext();
        context.getRegistry().bind("meters", meters);
        return context;
    }

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("redis-streams:" + KEY + "?group=workers&consumer=w1&block=50&claimInterval=0").routeId("held")
                        .process(e -> assertTrue(release.await(60, TimeUnit.SECONDS), "released"));
            }
        };
    }

    private double gauge(String name) {
        Gauge gauge = meters.find(name).tag("stream", KEY).tag("group", "workers").gauge();
        return gauge == null ? Double.NaN : gauge.value();
    }

    @Test
    void risesWhileAnEntryStaysPendingAndIsZeroWhenNoneIs() {
        await().atMost(Duration.ofSeconds(10)).until(() -> gauge("redis.streams.oldest.pending.age") == 0.0);
        ManagedRedisStreamsConsumer view = new ManagedRedisStreamsConsumer((RedisStreamsConsumer) context.getRoute("held").getConsumer());
        assertEquals(0, view.getOldestPendingAgeMillis());

        xadd(KEY, "order", "1");
        await().atMost(Duration.ofSeconds(10)).until(() -> gauge("redis.streams.pending") == 1.0);
        double first = gauge("redis.streams.oldest.pending.age");
        assertTrue(first >= 0 && first < 30, "seconds: " + first);
        await().atMost(Duration.ofSeconds(15)).until(() -> gauge("redis.streams.oldest.pending.age") >= first + 1.5);
        assertTrue(view.getOldestPendingAgeMillis() >= 1500, view.getOldestPendingAgeMillis() + " ms");
        assertEquals("redis.streams.oldest.pending.age", meters.find("redis.streams.oldest.pending.age").gauge().getId().getName());
        assertEquals("seconds", meters.find("redis.streams.oldest.pending.age").gauge().getId().getBaseUnit());

        // a new delivery starts the entry's idle time again, not its age: the page's and the console's figure is the age
        String id = pending(KEY, "workers").get(0).getID().toString();
        jedis.sendCommand(Protocol.Command.XCLAIM, KEY, "workers", "w1", "0", id, "IDLE", "0");
        assertTrue(ConsumerFigures.of((RedisStreamsConsumer) context.getRoute("held").getConsumer()).oldestPendingAgeMillis() >= 1500);

        release.countDown();
        await().atMost(Duration.ofSeconds(15)).until(() -> gauge("redis.streams.pending") == 0.0
                                                          && gauge("redis.streams.oldest.pending.age") == 0.0);
        assertEquals(0, view.getOldestPendingAgeMillis());
        assertEquals(0, pendingCount(KEY, "workers"));
    }
}
