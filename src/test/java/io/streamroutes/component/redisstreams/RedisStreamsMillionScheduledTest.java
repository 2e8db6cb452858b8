package io.streamroutes.component.redisstreams;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Pipeline;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A million scheduled entries cost the application no memory: they wait in Redis, and the consumer's mover only ever
 * reads the due ones. The heap after a full GC is measured with none and with a million scheduled (due in an hour)
 * while ten due ones are delivered.
 */
class RedisStreamsMillionScheduledTest extends RedisStreamsTestSupport {

    private static final int SCHEDULED = 1_000_000;
    private final AtomicInteger delivered = new AtomicInteger();

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("redis-streams:jobs?group=g&consumer=c&block=100").routeId("jobs").process(x -> delivered.incrementAndGet());
            }
        };
    }

    private static long heapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    @Test
    void aMillionScheduledEntriesLeaveTheHeapFlat() {
        template.sendBodyAndHeader("redis-streams:jobs", Map.of("n", "warm-up"), RedisStreamsConstants.DELAY, "300ms");
        await().atMost(Duration.ofSeconds(5)).until(() -> delivered.get() == 1);
        long before = heapAfterGc();

        long inAnHour = System.currentTimeMillis() + 3_600_000;
        Pipeline pipeline = jedis.pipelined();
        for (int i = 0; i < SCHEDULED; i++) {
            pipeline.zadd("{jobs}:scheduled", inAnHour + i % 1000, "[\"t" + i + "\",\"user_id\",\"" + i + "\",\"action\",\"remind\"]");
            if (i % 10_000 == 9_999) {
                pipeline.sync();
            }
        }
        pipeline.sync();
        for (int i = 0; i < 10; i++) {
            template.sendBodyAndHeader("redis-streams:jobs", Map.of("n", Integer.toString(i)), RedisStreamsConstants.DELAY, "500ms");
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> delivered.get() == 11);
        assertEquals(SCHEDULED, new ManagedRedisStreamsConsumer((RedisStreamsConsumer) context.getRoute("jobs").getConsumer()).getScheduledCount());
        long after = heapAfterGc();
        System.out.printf("heap after GC: %.1f MB with none scheduled, %.1f MB with %d scheduled (%+.1f MB)%n",
                before / 1e6, after / 1e6, SCHEDULED, (after - before) / 1e6);
        assertTrue(after - before < 16_000_000, "flat heap: " + (after - before) / 1_000_000 + " MB more");
    }
}
