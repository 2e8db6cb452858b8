package io.streamroutes.component.redisstreams;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.camel.Processor;
import org.awaitility.Awaitility;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.resps.StreamPendingEntry;


import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The consumer's job control against a real Redis: failed entries retried by the consumer holding them on the
 * schedule (not after minIdleTime), a route's Retry-After pausing the consumer without using up a delivery, the
 * schedule carried on after a restart, and several exchanges at once over one connection and consumer name.
 */
class RedisStreamsRetryTest extends RedisStreamsTestSupport {

    private static final String KEY = "integration:tasks";
    private static final String GROUP = "integration-workers";
    private static final String ROUTE = "worker";

    /** One call of the route: which entry, its delivery count header, and when. */
    private record Call(String id, long deliveryCount, long atMillis) {
    }

    private final List<Call> calls = new CopyOnWriteArrayList<>();

    private void route(String options, Processor processor) throws Exception {
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("redis-streams:" + KEY + "?group=" + GROUP + "&consumer=worker-1&block=100&" + options)
                        .routeId(ROUTE)
                        .process(exchange -> calls.add(new Call(exchange.getMessage().getHeader(RedisStreamsConstants.ENTRY_ID,
                                String.class), exchange.getMessage().getHeader(RedisStreamsConstants.DELIVERY_COUNT, Long.class),
                                System.currentTimeMillis())))
                        .process(processor);
            }
        });
    }

    private List<Call> callsOf(String id) {
        return calls.stream().filter(c -> c.id().equals(id)).toList();
    }

    private RedisStreamsConsumer streamConsumer() {
        return (RedisStreamsConsumer) context.getRoute(ROUTE).getConsumer();
    }

    @Test
    void aTransientFailureIsRetriedOnTheScheduleNotAfterMinIdleTime() throws Exception {
        jedis.xgroupCreate(KEY, GROUP, new StreamEntryID(0, 0), true);
        route("redeliveryDelay=400&backOffMultiplier=2&maximumRedeliveryDelay=10s&minIdleTime=60000&claimInterval=1000",
                exchange -> {
                    if (exchange.getMessage().getHeader(RedisStreamsConstants.DELIVERY_COUNT, Long.class) < 3) {
                        throw new IllegalStateException("provider answered 500");
                    }
                });
        String id = xadd(KEY, "task", "charge");

        Awaitility.await("done on the third delivery").atMost(Duration.ofSeconds(10)).until(() -> pendingCount(KEY, GROUP) == 0 && calls.size() == 3);
        List<Call> mine = callsOf(id);
        assertEquals(List.of(1L, 2L, 3L), mine.stream().map(Call::deliveryCount).toList());
        long firstGap = mine.get(1).atMillis() - mine.get(0).atMillis();
        long secondGap = mine.get(2).atMillis() - mine.get(1).atMillis();
        // 400 ms then 800 ms, each +/-15%; far below minIdleTime (60 s), which used to be the only way back
        assertTrue(firstGap >= 340 && firstGap < 3000, "first retry after ~400 ms: " + firstGap);
        assertTrue(secondGap >= 680 && secondGap < 4000, "second retry after ~800 ms: " + secondGap);
        assertEquals(0, streamConsumer().getRetryWaiting());
    }

    @Test
    void retryAfterPausesTheConsumerAndUsesUpNoDelivery() throws Exception {
        jedis.xgroupCreate(KEY, GROUP, new StreamEntryID(0, 0), true);
        AtomicInteger limited = new AtomicInteger(3); // three answers "429, Retry-After: 1 s", then success
        route("maxDeliveries=2&deadLetterStream=integration:dead-letter&redeliveryDelay=100", exchange -> {
            if (limited.getAndDecrement() > 0) {
                throw new RedisStreamsRetryAfterException("HTTP 429", Duration.ofMillis(1000));
            }
        });
        String first = xadd(KEY, "task", "a");
        Awaitility.await("first call").atMost(Duration.ofSeconds(5)).until(() -> !calls.isEmpty());
        String second = xadd(KEY, "task", "b"); // arrives during the pause: must not be handed out before it ends

        Awaitility.await("paused, with its reason").atMost(Duration.ofSeconds(2))
                .until(() -> streamConsumer().getPausedUntilMillis() > 0 && streamConsumer().getPauseReason().contains("HTTP 429"));
        ManagedRedisStreamsConsumer mbean = new ManagedRedisStreamsConsumer(streamConsumer());
        assertTrue(mbean.getPauseReason().contains("HTTP 429") && mbean.getPausedUntil().endsWith("Z"), mbean.getPausedUntil());
        Awaitility.await("both done").atMost(Duration.ofSeconds(15)).until(() -> pendingCount(KEY, GROUP) == 0 && jedis.xlen(KEY) == 2
                                                                     && callsOf(second).size() >= 1 && limited.get() < 0);
        assertEquals(0, jedis.exists("integration:dead-letter") ? jedis.xlen("integration:dead-letter") : 0,
                "three Retry-After answers with maxDeliveries=2: none dead-lettered");
        List<Call> a = callsOf(first);
        for (int i = 1; i < a.size(); i++) {
            assertTrue(a.get(i).atMillis() - a.get(i - 1).atMillis() >= 900, "a retry waits for Retry-After: " + a);
        }
        // every call of the first entry, and the second entry's first call, came after the pause it was given
        long firstCallOfSecond = callsOf(second).get(0).atMillis();
        assertTrue(firstCallOfSecond - a.get(0).atMillis() >= 900, "no new entry during the pause: " + calls);
        assertEquals(4, a.size(), "three Retry-After answers, then success: " + a);
        assertTrue(a.stream().allMatch(c -> c.deliveryCount() == 1), "the delivery count is kept across Retry-After waits: " + a);
        assertEquals(0, streamConsumer().getPausedUntilMillis());
    }

    @Test
    void theScheduleCarriesOnAfterARestart() throws Exception {
        jedis.xgroupCreate(KEY, GROUP, new StreamEntryID(0, 0), true);
        AtomicBoolean failing = new AtomicBoolean(true);
        route("redeliveryDelay=3s&backOffMultiplier=1&maximumRedeliveryDelay=3s&minIdleTime=60000", exchange -> {
            if (failing.get()) {
                throw new IllegalStateException("down");
            }
        });
        String id = xadd(KEY, "task", "charge");
        Awaitility.await("first failure").atMost(Duration.ofSeconds(5)).until(() -> callsOf(id).size() == 1 && streamConsumer().getRetryWaiting() == 1);

        context.getRouteController().stopRoute(ROUTE);
        failing.set(false);
        List<StreamPendingEntry> pending = pending(KEY, GROUP);
        assertEquals(1, pending.size(), "the failed entry stays pending while nothing runs");
        context.getRouteController().startRoute(ROUTE);

        Awaitility.await("retried after the restart").atMost(Duration.ofSeconds(10)).until(() -> pendingCount(KEY, GROUP) == 0);
        List<Call> mine = callsOf(id);
        assertEquals(2, mine.size(), "one retry: " + mine);
        long gap = mine.get(1).atMillis() - mine.get(0).atMillis();
        assertTrue(gap >= 2500, "the restarted consumer waited for the schedule (3 s +/-15% after the failed delivery): " + gap);
        assertEquals(2L, mine.get(1).deliveryCount());
    }

    @Test
    void concurrencyRunsSeveralExchangesAtOnceOverOneConsumerName() throws Exception {
        jedis.xgroupCreate(KEY, GROUP, new StreamEntryID(0, 0), true);
        AtomicInteger running = new AtomicInteger();
        AtomicInteger mostAtOnce = new AtomicInteger();
        Map<String, Boolean> done = new ConcurrentHashMap<>();
        route("count=2&concurrency=5", exchange -> {
            mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
            Thread.sleep(300); // a slow provider
            running.decrementAndGet();
            done.put(exchange.getMessage().getHeader(RedisStreamsConstants.ENTRY_ID, String.class), true);
        });
        for (int i = 0; i < 30; i++) {
            xadd(KEY, "n", Integer.toString(i));
        }
        AtomicLong mostPending = new AtomicLong();
        Awaitility.await("all 30 done").atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(20)).until(() -> {
            mostPending.accumulateAndGet(pendingCount(KEY, GROUP), Math::max);
            return done.size() == 30;
        });
        Awaitility.await("all acked").atMost(Duration.ofSeconds(5)).until(() -> pendingCount(KEY, GROUP) == 0);
        assertEquals(30, done.size());
        assertEquals(5, mostAtOnce.get(), "five exchanges at once, never more");
        assertEquals(List.of("worker-1"), jedis.xinfoConsumers(KEY, GROUP).stream().map(c -> c.getName()).toList(),
                "one consumer name for all of them");
        assertTrue(mostPending.get() <= 5 + 2, "at most the window (5) plus one read ahead (count=2) delivered and unacked: " + mostPending);
    }

    @Test
    void waitingEntriesTrimmedAwayAreAcknowledgedWithOneLineEach() throws Exception {
        jedis.xgroupCreate(KEY, GROUP, new StreamEntryID(0, 0), true);
        route("redeliveryDelay=1500&backOffMultiplier=1&maximumRedeliveryDelay=1500&minIdleTime=60000", exchange -> {
            throw new IllegalStateException("down");
        });
        trimTwoWaitingEntriesAway();
        assertEquals(2, calls.size(), "a trimmed entry is not handed out again: " + calls);
    }

    @Test
    void nextRetryTimeIsShownWhileAnEntryWaits() throws Exception {
        jedis.xgroupCreate(KEY, GROUP, new StreamEntryID(0, 0), true);
        io.micrometer.core.instrument.simple.SimpleMeterRegistry meters = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
        context.getRegistry().bind("meters", meters);
        route("redeliveryDelay=30s&maximumRedeliveryDelay=30s&minIdleTime=60000", exchange -> {
            throw new IllegalStateException("down");
        });
        long before = System.currentTimeMillis();
        xadd(KEY, "n", "1");
        Awaitility.await("waiting").atMost(Duration.ofSeconds(5)).until(() -> streamConsumer().getRetryWaiting() == 1);
        long next = streamConsumer().getNextRetryAtMillis();
        assertTrue(next >= before + 25_000 && next <= System.currentTimeMillis() + 35_000, "due in about 30 s: " + (next - before));
        ManagedRedisStreamsConsumer mbean = new ManagedRedisStreamsConsumer(streamConsumer());
        assertEquals(1, mbean.getRetryWaiting());
        assertTrue(mbean.getNextRetryAt().endsWith("Z"), mbean.getNextRetryAt());
        assertEquals("", mbean.getPausedUntil());
        assertEquals(1.0, meters.get("redis.streams.retry.waiting").gauge().value());
        assertEquals(next / 1000.0, meters.get("redis.streams.next.retry.timestamp").gauge().value(), 0.001);
        assertEquals(0.0, meters.get("redis.streams.paused").gauge().value());
    }
    @Test
    void entriesTrimmedAwayDuringAPauseAreAcknowledgedWithOneLineEach() throws Exception {
        jedis.xgroupCreate(KEY, GROUP, new StreamEntryID(0, 0), true);
        route("concurrency=4", exchange -> {
            Thread.sleep(20); // a call that takes time
            throw new RedisStreamsRetryAfterException("HTTP 503", Duration.ofMillis(1500));
        });
        trimTwoWaitingEntriesAway();
    }

    /** Two entries are added and wait for a retry; the stream is trimmed empty; both leave the pending list and the wait. */
    private void trimTwoWaitingEntriesAway() throws Exception {
        xadd(KEY, "n", "1");
        xadd(KEY, "n", "2");
        Awaitility.await("both waiting").atMost(Duration.ofSeconds(5)).until(() -> streamConsumer().getRetryWaiting() == 2);
        jedis.xtrim(KEY, 0, false);

        Awaitility.await("dropped from the pending list").atMost(Duration.ofSeconds(10)).until(() -> pendingCount(KEY, GROUP) == 0);
        Awaitility.await("nothing waits").atMost(Duration.ofSeconds(2)).until(() -> streamConsumer().getRetryWaiting() == 0);
    }
}
