package io.streamroutes.component.redisstreams;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Delayed entries against a real Redis: CamelRedisStreamsDelay / CamelRedisStreamsDeliverAt on the producer, a ZADD
 * from outside Camel, delivery within a second of the due time, entries waiting while no consumer runs, and the
 * figures on the MBean.
 */
class RedisStreamsScheduledEntriesTest extends RedisStreamsTestSupport {

    private final List<Long> receivedAt = new CopyOnWriteArrayList<>();
    private final List<Map<String, String>> received = new CopyOnWriteArrayList<>();

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("redis-streams:jobs?group=g&consumer=c&block=100").routeId("jobs").autoStartup(false)
                        .process(x -> {
                            receivedAt.add(System.currentTimeMillis());
                            received.add(x.getIn().getBody(Map.class));
                        });
            }
        };
    }

    private ManagedRedisStreamsConsumer mbean() {
        return new ManagedRedisStreamsConsumer((RedisStreamsConsumer) context.getRoute("jobs").getConsumer());
    }

    @Test
    void aDelayedEntryReachesTheRouteWithinASecondOfItsTime() throws Exception {
        context.getRouteController().startRoute("jobs");
        long sent = System.currentTimeMillis();
        template.sendBodyAndHeader("redis-streams:jobs", Map.of("task", "later"), RedisStreamsConstants.DELAY, "1500ms");
        assertFalse(jedis.exists("jobs") && jedis.xlen("jobs") > 0, "not in the stream before its time");
        assertEquals(1, jedis.zcard("{jobs}:scheduled"));
        assertEquals(1, mbean().getScheduledCount());
        assertTrue(Instant.parse(mbean().getNextScheduledAt()).toEpochMilli() >= sent + 1500, mbean().getNextScheduledAt());

        await().atMost(Duration.ofSeconds(5)).until(() -> receivedAt.size() == 1);
        long late = receivedAt.get(0) - (sent + 1500);
        System.out.println("delayed entry delivered " + late + " ms after its time");
        assertTrue(late >= 0 && late < 1000, "delivered within a second of its time, not before: " + late + " ms");
        assertEquals(Map.of("task", "later"), received.get(0));
        assertEquals(0, jedis.zcard("{jobs}:scheduled"));
        assertEquals("", mbean().getNextScheduledAt());
    }

    @Test
    void deliverAtTakesAnInstantAndEpochMillisAndABatchIsScheduledAsAWhole() throws Exception {
        context.getRouteController().startRoute("jobs");
        long due = System.currentTimeMillis() + 1000;
        template.sendBodyAndHeader("redis-streams:jobs", Map.of("n", "1"), RedisStreamsConstants.DELIVER_AT, Instant.ofEpochMilli(due).toString());
        template.sendBodyAndHeader("redis-streams:jobs", Map.of("n", "2"), RedisStreamsConstants.DELIVER_AT, due);
        template.sendBodyAndHeader("redis-streams:jobs", List.of(Map.of("n", "3"), Map.of("n", "4")), RedisStreamsConstants.DELIVER_AT, due);
        assertEquals(4, jedis.zcard("{jobs}:scheduled"));
        await().atMost(Duration.ofSeconds(5)).until(() -> received.size() == 4);
        assertTrue(receivedAt.stream().allMatch(t -> t >= due && t < due + 1000), receivedAt + " vs " + due);
    }

    @Test
    void anyClientSchedulesWithOneZaddAndEntriesWaitWhileNoConsumerRuns() throws Exception {
        long due = System.currentTimeMillis() + 300;
        jedis.zadd("{jobs}:scheduled", due, "[\"order-17\",\"type\",\"reminder\",\"user_id\",\"123\"]");
        jedis.zadd("{jobs}:scheduled", due, "not json");
        await().pollDelay(Duration.ofMillis(800)).atMost(Duration.ofSeconds(2)).until(() -> true);
        assertEquals(2, jedis.zcard("{jobs}:scheduled"), "nothing moves them while no consumer of the stream runs");

        context.getRouteController().startRoute("jobs"); // e.g. the application restarted: the entries were in Redis
        await().atMost(Duration.ofSeconds(5)).until(() -> received.size() == 2);
        assertTrue(received.contains(Map.of("type", "reminder", "user_id", "123")), received.toString());
        assertTrue(received.contains(Map.of("x-scheduled-invalid", "not json")), "an unreadable member is delivered as such: " + received);
        assertFalse(jedis.exists("{jobs}:scheduled"));
    }

    @Test
    void aStreamWithoutScheduledEntriesCostsOneExistsEveryHalfSecondAndNoMoveUntilOneIsAdded() throws Exception {
        context.getRouteController().startRoute("jobs");
        await().atMost(Duration.ofSeconds(5)).until(() -> ((RedisStreamsConsumer) context.getRoute("jobs").getConsumer()).isHealthy());
        jedis.configResetStat();
        await().pollDelay(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(4)).until(() -> true);
        Map<String, Long> calls = commandCalls();
        System.out.println("3 s of a consumer of a stream without scheduled entries: " + calls);
        assertEquals(0, calls.getOrDefault("evalsha", 0L) + calls.getOrDefault("eval", 0L) + calls.getOrDefault("zrangebyscore", 0L),
                "no move script while nothing is scheduled: " + calls);
        assertTrue(calls.getOrDefault("exists", 0L) <= 8, "at most one EXISTS every 500 ms: " + calls);

        long due = System.currentTimeMillis() + 300; // added from outside while the consumer only checks
        jedis.zadd("{jobs}:scheduled", due, "[\"t-1\",\"task\",\"now\"]");
        await().atMost(Duration.ofSeconds(5)).until(() -> receivedAt.size() == 1);
        long late = receivedAt.get(0) - due;
        System.out.println("entry added to an unwatched set delivered " + late + " ms after its time");
        assertTrue(late >= 0 && late < 1000, "delivered within a second of its time, not before: " + late + " ms");
        assertTrue(commandCalls().getOrDefault("evalsha", 0L) + commandCalls().getOrDefault("eval", 0L) > 0);
    }

    /** Calls per command since the last CONFIG RESETSTAT, from INFO commandstats. */
    private Map<String, Long> commandCalls() {
        Map<String, Long> calls = new java.util.TreeMap<>();
        for (String line : jedis.info("commandstats").split("\r?\n")) {
            if (line.startsWith("cmdstat_")) {
                int colon = line.indexOf(':');
                String stats = line.substring(colon + 1);
                long n = Long.parseLong(stats.substring(stats.indexOf("calls=") + 6, stats.indexOf(',', stats.indexOf("calls="))));
                calls.put(line.substring(8, colon), n);
            }
        }
        return calls;
    }

    @Test
    void unreadableHeadersFailTheExchangeAndScheduleNothing() {
        Exception e = org.junit.jupiter.api.Assertions.assertThrows(Exception.class,
                () -> template.sendBodyAndHeader("redis-streams:jobs", Map.of("n", "1"), RedisStreamsConstants.DELAY, "soon"));
        assertTrue(e.getCause().getMessage().contains("CamelRedisStreamsDelay"), e.getCause().getMessage());
        assertFalse(jedis.exists("{jobs}:scheduled"));
    }
}
