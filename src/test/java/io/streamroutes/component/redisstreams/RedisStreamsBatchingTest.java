package io.streamroutes.component.redisstreams;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.camel.Exchange;
import org.apache.camel.ExchangePropertyKey;
import org.apache.camel.Processor;
import org.apache.camel.builder.RouteBuilder;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.resps.StreamEntry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code batching=true} against a real Redis: one exchange per read whose body lists one exchange per entry, each
 * entry's fate following its inner exchange, a failed batch failing all, {@code batchingInterval} filling a batch,
 * {@code concurrency} batches at once, and the plain reader.
 */
class RedisStreamsBatchingTest extends RedisStreamsTestSupport {

    private static final String KEY = "batch:events";
    private static final String GROUP = "batchers";
    private static final String DEAD = "batch:dead-letter";

    /** What one inner exchange looked like: entry id, delivery count, body, batch index and size. */
    private record Seen(String id, long deliveryCount, Map<?, ?> body, int index, int size) {
    }

    private final List<List<Seen>> batches = new CopyOnWriteArrayList<>();

    private void route(String options, Processor processor) throws Exception {
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("redis-streams:" + KEY + "?batching=true&block=100&" + options)
                        .routeId("batches")
                        .process(exchange -> {
                            List<Seen> seen = new ArrayList<>();
                            for (Exchange inner : inner(exchange)) {
                                seen.add(new Seen(inner.getMessage().getHeader(RedisStreamsConstants.ENTRY_ID, String.class),
                                        inner.getMessage().getHeader(RedisStreamsConstants.DELIVERY_COUNT, Long.class),
                                        inner.getMessage().getBody(Map.class),
                                        inner.getProperty(ExchangePropertyKey.BATCH_INDEX, Integer.class),
                                        inner.getProperty(ExchangePropertyKey.BATCH_SIZE, Integer.class)));
                            }
                            batches.add(seen);
                        })
                        .process(processor);
            }
        });
    }

    @SuppressWarnings("unchecked")
    private static List<Exchange> inner(Exchange batch) {
        return batch.getMessage().getBody(List.class);
    }

    private List<Seen> callsOf(String id) {
        return batches.stream().flatMap(List::stream).filter(s -> s.id().equals(id)).toList();
    }

    private List<String> addEntries(int n) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add(xadd(KEY, "n", Integer.toString(i)));
        }
        return ids;
    }

    @Test
    void oneExchangePerReadListingAnExchangePerEntry() throws Exception {
        List<String> ids = addEntries(25);
        route("group=" + GROUP + "&count=10", exchange -> { });

        Awaitility.await("all acked").atMost(Duration.ofSeconds(10)).until(() -> callsOfAll() == 25 && pendingCount(KEY, GROUP) == 0);
        assertTrue(batches.stream().allMatch(b -> !b.isEmpty() && b.size() <= 10), "count bounds a batch: " + sizes());
        assertTrue(batches.size() <= 5, "a backlog of 25 comes in a few batches, not 25 exchanges: " + sizes());
        for (List<Seen> batch : batches) {
            for (int i = 0; i < batch.size(); i++) {
                Seen seen = batch.get(i);
                assertEquals(i, seen.index());
                assertEquals(batch.size(), seen.size());
                assertEquals(1, seen.deliveryCount());
            }
        }
        Set<String> delivered = new TreeSet<>();
        batches.forEach(b -> b.forEach(s -> delivered.add(s.id())));
        assertEquals(new TreeSet<>(ids), delivered, "each entry once");
        Seen first = callsOf(ids.get(0)).get(0);
        assertEquals(Map.of("n", "0"), first.body(), "an inner exchange's body is the entry's fields");
        assertEquals(25, streamConsumer().getStatistics().getDelivered());
        // the last acks ride on the next (blocking) read, and are counted when its reply comes
        Awaitility.await("acks counted").atMost(Duration.ofSeconds(5)).until(() -> streamConsumer().getStatistics().getAcked() == 25);
    }

    @Test
    void anInnerExceptionRetriesOrDeadLettersThatEntryAlone() throws Exception {
        jedis.xgroupCreate(KEY, GROUP, new StreamEntryID(0, 0), true);
        route("group=" + GROUP + "&count=10&redeliveryDelay=200&maxDeliveries=5&deadLetterStream=" + DEAD, exchange -> {
            for (Exchange inner : inner(exchange)) {
                String task = inner.getMessage().getBody(Map.class).get("task").toString();
                long delivery = inner.getMessage().getHeader(RedisStreamsConstants.DELIVERY_COUNT, Long.class);
                if (task.equals("flaky") && delivery == 1) {
                    inner.setException(new IllegalStateException("provider answered 500"));
                } else if (task.equals("broken")) {
                    inner.setException(new RedisStreamsNonRetryableException("cannot ever be done"));
                }
            }
        });
        String ok = xadd(KEY, "task", "ok");
        String flaky = xadd(KEY, "task", "flaky");
        String broken = xadd(KEY, "task", "broken");

        Awaitility.await("settled").atMost(Duration.ofSeconds(10))
                .until(() -> pendingCount(KEY, GROUP) == 0 && callsOf(flaky).size() == 2 && jedis.exists(DEAD));
        assertEquals(1, callsOf(ok).size(), "acked with its batch: " + batches);
        assertEquals(List.of(1L, 2L), callsOf(flaky).stream().map(Seen::deliveryCount).toList(), "retried alone: " + batches);
        assertEquals(1, callsOf(broken).size(), "dead-lettered at once: " + batches);
        List<StreamEntry> dead = jedis.xrange(DEAD, (StreamEntryID) null, (StreamEntryID) null);
        assertEquals(1, dead.size());
        assertEquals(broken, dead.get(0).getFields().get("x-source-id"));
        assertEquals(1, batches.get(batches.size() - 1).size(), "the retry is a batch of its own: " + batches);
    }

    @Test
    void aFailedBatchFailsAllItsEntries() throws Exception {
        jedis.xgroupCreate(KEY, GROUP, new StreamEntryID(0, 0), true);
        AtomicInteger failures = new AtomicInteger(1);
        List<String> ids = addEntries(3); // all in the first read
        route("group=" + GROUP + "&count=10&redeliveryDelay=200", exchange -> {
            if (failures.getAndDecrement() > 0) {
                throw new IllegalStateException("database down");
            }
        });

        Awaitility.await("all acked").atMost(Duration.ofSeconds(10)).until(() -> pendingCount(KEY, GROUP) == 0 && callsOfAll() >= 6);
        for (String id : ids) {
            assertEquals(List.of(1L, 2L), callsOf(id).stream().map(Seen::deliveryCount).toList(), "all retried: " + batches);
        }
        assertEquals(3, streamConsumer().getStatistics().getFailed());
    }

    @Test
    void batchingIntervalWaitsToFillTheBatch() throws Exception {
        jedis.xgroupCreate(KEY, GROUP, new StreamEntryID(0, 0), true);
        route("group=" + GROUP + "&count=5&batchingInterval=3s", exchange -> { });
        xadd(KEY, "n", "first");
        // the first read has returned one entry; the rest arrives while the consumer fills the batch
        Awaitility.await().pollDelay(Duration.ofMillis(300)).atMost(Duration.ofSeconds(1)).until(() -> true);
        addEntries(4);
        Awaitility.await("filled").atMost(Duration.ofSeconds(10)).until(() -> callsOfAll() == 5);
        assertEquals(List.of(5), sizes(), "one batch of count entries");

        long start = System.currentTimeMillis();
        addEntries(2);
        Awaitility.await("handed out when the interval is over").atMost(Duration.ofSeconds(10)).until(() -> callsOfAll() == 7);
        assertEquals(List.of(5, 2), sizes());
        assertTrue(System.currentTimeMillis() - start >= 2500, "waited for the interval to fill it");
        Awaitility.await("acked").atMost(Duration.ofSeconds(5)).until(() -> pendingCount(KEY, GROUP) == 0);
    }

    @Test
    void concurrencyRunsThatManyBatchesAtOnce() throws Exception {
        jedis.xgroupCreate(KEY, GROUP, new StreamEntryID(0, 0), true);
        CountDownLatch bothRunning = new CountDownLatch(2);
        AtomicInteger together = new AtomicInteger();
        route("group=" + GROUP + "&count=5&concurrency=2", exchange -> {
            bothRunning.countDown();
            if (bothRunning.await(5, TimeUnit.SECONDS)) {
                together.incrementAndGet();
            }
        });
        addEntries(10);
        Awaitility.await("all acked").atMost(Duration.ofSeconds(15)).until(() -> pendingCount(KEY, GROUP) == 0 && callsOfAll() == 10);
        assertTrue(together.get() >= 2, "two batches ran at once: " + sizes());
        assertTrue(batches.stream().allMatch(b -> b.size() <= 5), "count bounds each batch: " + sizes());
    }

    @Test
    void aPlainReaderHandsOutBatchesToo() throws Exception {
        addEntries(15);
        route("count=10&startId=0", exchange -> { });
        Awaitility.await("all read").atMost(Duration.ofSeconds(10)).until(() -> callsOfAll() == 15);
        assertTrue(batches.stream().allMatch(b -> b.size() <= 10), sizes().toString());
    }

    private int callsOfAll() {
        return batches.stream().mapToInt(List::size).sum();
    }

    private List<Integer> sizes() {
        return batches.stream().map(List::size).toList();
    }

    private RedisStreamsConsumer streamConsumer() {
        return (RedisStreamsConsumer) context.getRoute("batches").getConsumer();
    }
}
