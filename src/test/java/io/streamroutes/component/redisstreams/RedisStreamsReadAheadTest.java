package io.streamroutes.component.redisstreams;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.streamroutes.testsupport.Await;
import org.apache.camel.builder.RouteBuilder;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.params.ClientKillParams;
import redis.clients.jedis.params.XAutoClaimParams;
import redis.clients.jedis.params.XPendingParams;
import redis.clients.jedis.resps.StreamPendingEntry;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * With a backlog the consumer has Redis serve the next batch while the route works on the current one; on stop, a
 * batch read ahead but not yet handed to the route is given back to the group instead of being processed.
 */
class RedisStreamsReadAheadTest extends RedisStreamsTestSupport {

    private static final String KEY = "media:tasks";
    private static final String GROUP = "media-workers";
    private static final String ROUTE = "reader";

    private void fill(int entries) {
        jedis.xgroupCreate(KEY, GROUP, new StreamEntryID(0, 0), true);
        for (int i = 0; i < entries; i++) {
            xadd(KEY, "task", "resize", "n", Integer.toString(i));
        }
    }

    private void route(String options, org.apache.camel.Processor processor) throws Exception {
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("redis-streams:" + KEY + "?group=" + GROUP + "&consumer=worker-1&count=5&block=100&" + options)
                        .routeId(ROUTE).process(processor);
            }
        });
    }

    private static long pendingFor(Jedis client, String consumer) {
        return client.xpending(KEY, GROUP, XPendingParams.xPendingParams().count(100).consumer(consumer)).size();
    }

    /**
     * Called while the route works on the first batch of 5: the read ahead was sent before the batch was handed over,
     * so Redis delivers the next 5 meanwhile. Waits up to 5 s for that, returns what worker-1 then has pending.
     */
    private static long pendingOnceReadAheadServed(Jedis other) {
        try {
            // in this thread: the caller uses the client right after
            await("read ahead served").atMost(Duration.ofSeconds(5)).pollInSameThread().pollInterval(Duration.ofMillis(5))
                    .until(() -> pendingFor(other, "worker-1") >= 10);
        } catch (ConditionTimeoutException e) {
            // the caller asserts on what is pending
        }
        return pendingFor(other, "worker-1");
    }

    @Test
    void theNextBatchIsDeliveredWhileTheRouteWorksOnTheCurrentOne() throws Exception {
        fill(12);
        AtomicLong pendingDuringFirstExchange = new AtomicLong(-1);
        Set<String> processed = ConcurrentHashMap.newKeySet();
        route("claimInterval=0", exchange -> {
            if (processed.isEmpty()) {
                try (Jedis other = newJedis()) {
                    pendingDuringFirstExchange.set(pendingOnceReadAheadServed(other));
                }
            }
            processed.add(exchange.getIn().getHeader(RedisStreamsConstants.ENTRY_ID, String.class));
        });
        await("all processed and acked").atMost(Duration.ofSeconds(10))
                .until(() -> processed.size() == 12 && pendingCount(KEY, GROUP) == 0);
        assertEquals(10, pendingDuringFirstExchange.get(), "first batch of 5 plus the next 5 read ahead");
    }

    @Test
    void aBacklogWithSlowExchangesRunningIsReadAheadNoFurtherThanOneRead() throws Exception {
        fill(40);
        AtomicLong mostPending = new AtomicLong();
        Set<String> processed = ConcurrentHashMap.newKeySet();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("redis-streams:" + KEY + "?group=" + GROUP + "&consumer=worker-1&count=2&concurrency=5&block=100&claimInterval=0")
                        .routeId(ROUTE).process(exchange -> {
                            Thread.sleep(200); // a slow provider: the reading thread waits for the read ahead meanwhile
                            processed.add(exchange.getIn().getHeader(RedisStreamsConstants.ENTRY_ID, String.class));
                        });
            }
        });
        await("all processed and acked").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(10))
                .until(() -> {
                    mostPending.accumulateAndGet(pendingCount(KEY, GROUP), Math::max);
                    return processed.size() == 40 && pendingCount(KEY, GROUP) == 0;
                });
        assertTrue(mostPending.get() <= 5 + 2, "at most the window (5) plus one read (count=2) delivered and unacked: " + mostPending);
    }

    @Test
    void aConnectionLostWithAReadAheadOutstandingLosesAndRepeatsNothing() throws Exception {
        fill(15);
        Map<String, Integer> timesProcessed = new ConcurrentHashMap<>();
        AtomicLong killed = new AtomicLong();
        route("claimInterval=0", exchange -> {
            if (timesProcessed.isEmpty()) {
                try (Jedis other = newJedis()) {
                    pendingOnceReadAheadServed(other);
                    // the reader's connection: its last command was the read sent ahead
                    for (String client : other.clientList().split("\n")) {
                        if (client.contains("cmd=xreadgroup")) {
                            String id = client.substring(client.indexOf("id=") + 3, client.indexOf(' '));
                            killed.addAndGet(other.clientKill(ClientKillParams.clientKillParams().id(id)));
                        }
                    }
                }
            }
            timesProcessed.merge(exchange.getIn().getHeader(RedisStreamsConstants.ENTRY_ID, String.class), 1, Integer::sum);
        });
        await("all processed and acked").atMost(Duration.ofSeconds(15))
                .until(() -> timesProcessed.size() == 15 && pendingCount(KEY, GROUP) == 0);
        assertEquals(1, killed.get(), "the reader's connection was killed");
        assertEquals(Set.of(1), Set.copyOf(timesProcessed.values()), "each entry processed once: " + timesProcessed);
    }

    @Test
    void behindASlowEntryTheBatchIsKeptAliveAndAReadAheadClaimedElsewhereIsNotProcessedTwice() throws Exception {
        fill(15);
        List<String> ids = jedis.xrange(KEY, (StreamEntryID) null, (StreamEntryID) null).stream().map(e -> e.getID().toString()).toList();
        CountDownLatch release = new CountDownLatch(1);
        Map<String, Integer> timesProcessed = new ConcurrentHashMap<>();
        route("claimInterval=0&minIdleTime=1000&keepAliveInterval=200", exchange -> {
            if (timesProcessed.isEmpty()) {
                assertTrue(release.await(20, TimeUnit.SECONDS));
            }
            timesProcessed.merge(exchange.getIn().getHeader(RedisStreamsConstants.ENTRY_ID, String.class), 1, Integer::sum);
        });
        await("first batch and the read-ahead delivered").atMost(Duration.ofSeconds(5)).until(() -> pendingCount(KEY, GROUP) == 10);
        Thread.sleep(1500); // the first entry is slow: everything delivered so far is now older than minIdleTime

        // another instance sweeps: only the batch read ahead looks idle, the rest of the first batch is kept alive
        var claimed = jedis.xautoclaim(KEY, GROUP, "worker-2", 1000, new StreamEntryID(0, 0),
                XAutoClaimParams.xAutoClaimParams().count(20));
        assertEquals(ids.subList(5, 10), claimed.getValue().stream().map(e -> e.getID().toString()).toList());
        release.countDown();

        List<String> ours = new java.util.ArrayList<>(ids.subList(0, 5));
        ours.addAll(ids.subList(10, 15));
        await("the rest processed").atMost(Duration.ofSeconds(10))
                .until(() -> timesProcessed.keySet().containsAll(ours) && pendingFor(jedis, "worker-1") == 0);
        // a claimed entry must not be processed here too
        Await.assertionHolds("the entries worker-2 claimed are not processed here too", Duration.ofMillis(300), () -> {
            assertEquals(Set.copyOf(ours), timesProcessed.keySet(), "the entries worker-2 claimed are not processed here too");
            assertEquals(Set.of(1), Set.copyOf(timesProcessed.values()), "each processed once: " + timesProcessed);
        });
        assertEquals(5, pendingFor(jedis, "worker-2"));
    }

    @Test
    void entriesReadAheadAreGivenBackOnStopAsFirstDeliveries() throws Exception {
        fill(15);
        CountDownLatch release = new CountDownLatch(1);
        Set<String> processed = ConcurrentHashMap.newKeySet();
        route("claimInterval=0&minIdleTime=60000", exchange -> {
            if (processed.isEmpty()) {
                assertTrue(release.await(10, TimeUnit.SECONDS));
            }
            processed.add(exchange.getIn().getHeader(RedisStreamsConstants.ENTRY_ID, String.class));
        });
        await("first batch and the read-ahead delivered").atMost(Duration.ofSeconds(5)).until(() -> pendingCount(KEY, GROUP) == 10);

        RedisStreamsConsumer consumer = (RedisStreamsConsumer) context.getRoute(ROUTE).getConsumer();
        Thread stopper = new Thread(() -> {
            try {
                context.getRouteController().stopRoute(ROUTE, 20, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        stopper.start();
        await("consumer stopping (draining under the shutdown strategy, then stopped)").atMost(Duration.ofSeconds(5))
                .until(() -> consumer.isDraining() || consumer.isStopping());
        release.countDown();
        stopper.join(20000);

        assertEquals(5, processed.size(), "only the batch handed to the route was processed");
        List<StreamPendingEntry> given = pending(KEY, GROUP);
        assertEquals(5, given.size(), "the batch read ahead stays in the group, the first batch is acked");
        for (StreamPendingEntry entry : given) {
            assertEquals(0, entry.getDeliveredTimes(), "not counted as a delivery: " + entry.getID());
            assertTrue(entry.getIdleTime() >= 60000, "claimable at once by consumers with minIdleTime=60000: " + entry.getIdleTime());
            assertTrue(!processed.contains(entry.getID().toString()));
        }

        var claimed = jedis.xautoclaim(KEY, GROUP, "worker-2", 60000, new StreamEntryID(0, 0), XAutoClaimParams.xAutoClaimParams().count(10));
        assertEquals(5, claimed.getValue().size());
        assertEquals(Map.of("worker-2", 5L), Map.of("worker-2", (long) pending(KEY, GROUP).stream()
                .filter(p -> p.getConsumerName().equals("worker-2") && p.getDeliveredTimes() == 1).count()));
    }
}
