package io.streamroutes.component.redisstreams;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.streamroutes.component.redisstreams.client.StreamId;
import io.streamroutes.testsupport.Await;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.params.XReadGroupParams;
import redis.clients.jedis.resps.StreamGroupInfo;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Consumer-group semantics of the redis-streams consumer against a real Redis server. */
class RedisStreamsConsumerTest extends RedisStreamsTestSupport {

    private static final String KEY = "notify:events";
    private static final String GROUP = "notify-workers";

    private void route(String uri, org.apache.camel.Processor processor) throws Exception {
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri).process(processor).to("mock:done");
            }
        });
    }

    private void readAsOtherConsumer(String consumer) {
        jedis.xgroupCreate(KEY, GROUP, new StreamEntryID(0, 0), true);
        jedis.xreadGroup(GROUP, consumer, XReadGroupParams.xReadGroupParams().count(100),
                Map.of(KEY, StreamEntryID.XREADGROUP_UNDELIVERED_ENTRY));
    }

    @Test
    void createsTheGroupWithMkstreamOnStart() throws Exception {
        route("redis-streams:" + KEY + "?group=" + GROUP + "&consumer=worker-1&block=100", e -> {
        });
        await("group created").atMost(Duration.ofSeconds(5)).until(() -> jedis.exists(KEY)
                                          && jedis.xinfoGroups(KEY).stream().map(StreamGroupInfo::getName).toList().contains(GROUP));
    }

    @Test
    void acksOnlyAfterTheExchangeCompletedSuccessfully() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        List<Exchange> seen = new CopyOnWriteArrayList<>();
        route("redis-streams:" + KEY + "?group=" + GROUP + "&consumer=worker-1&block=100", e -> {
            seen.add(e);
            assertTrue(release.await(10, TimeUnit.SECONDS));
        });
        String id = xadd(KEY, "user_id", "123", "type", "email", "template", "welcome");
        await("delivered").atMost(Duration.ofSeconds(5)).until(() -> seen.size() == 1);
        // the exchange runs on for a while: no ack meanwhile
        Await.holds("not acked while the exchange is still running", Duration.ofMillis(300), () -> pendingCount(KEY, GROUP) == 1);
        release.countDown();
        await("acked").atMost(Duration.ofSeconds(5)).until(() -> pendingCount(KEY, GROUP) == 0);

        var in = seen.get(0).getIn();
        assertEquals(Map.of("user_id", "123", "type", "email", "template", "welcome"), in.getBody());
        assertEquals(List.of("user_id", "type", "template"), List.copyOf(in.getBody(Map.class).keySet()), "field order kept");
        assertEquals(KEY, in.getHeader(RedisStreamsConstants.STREAM_KEY));
        assertEquals(id, in.getHeader(RedisStreamsConstants.ENTRY_ID));
        assertEquals(GROUP, in.getHeader(RedisStreamsConstants.GROUP));
        assertEquals("worker-1", in.getHeader(RedisStreamsConstants.CONSUMER));
        assertEquals(1L, in.getHeader(RedisStreamsConstants.DELIVERY_COUNT));
    }

    @Test
    void aFailedExchangeLeavesTheEntryPending() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        route("redis-streams:" + KEY + "?group=" + GROUP + "&consumer=worker-1&block=100&claimInterval=0", e -> {
            attempts.incrementAndGet();
            throw new IllegalStateException("SMTP down");
        });
        String id = xadd(KEY, "type", "email");
        await("attempted").atMost(Duration.ofSeconds(5)).until(() -> attempts.get() == 1);
        Await.holds("no ack, and no retry without a claim sweep", Duration.ofMillis(300),
                () -> pendingCount(KEY, GROUP) == 1 && attempts.get() == 1);
        assertEquals(id, pending(KEY, GROUP).get(0).getID().toString());
        assertEquals("worker-1", pending(KEY, GROUP).get(0).getConsumerName());
        assertEquals(1, attempts.get(), "no retry without a claim sweep");
    }

    @Test
    void headersBehaveLikeOrdinaryHeaders() throws Exception {
        String id = xadd(KEY, "type", "push");
        MockEndpoint done = getMockEndpoint("mock:done");
        done.expectedMessageCount(1);
        // the headers are filled in lazily: removing, adding and copying must work as on any message
        route("redis-streams:" + KEY + "?group=" + GROUP + "&consumer=worker-1&block=100", e -> {
            assertTrue(e.getIn().hasHeaders());
            e.getIn().removeHeader(RedisStreamsConstants.CONSUMER);
            e.getIn().setHeader("tenant", "acme");
        });
        done.assertIsSatisfied(5000);
        Map<String, Object> headers = done.getExchanges().get(0).getIn().getHeaders();
        assertEquals(Map.of(RedisStreamsConstants.STREAM_KEY, KEY, RedisStreamsConstants.ENTRY_ID, id, RedisStreamsConstants.GROUP, GROUP,
                RedisStreamsConstants.DELIVERY_COUNT, 1L, RedisStreamsConstants.MESSAGE_TIMESTAMP, StreamId.parse(id).millis(),
                "tenant", "acme"), Map.copyOf(headers));
    }

    @Test
    void aRestartedConsumerFirstRereadsItsOwnPendingEntries() throws Exception {
        String id = xadd(KEY, "type", "email");
        readAsOtherConsumer("worker-1"); // the previous run of worker-1 got it and died
        assertEquals(1, pendingCount(KEY, GROUP));
        MockEndpoint done = getMockEndpoint("mock:done");
        done.expectedMessageCount(1);
        route("redis-streams:" + KEY + "?group=" + GROUP + "&consumer=worker-1&block=100&claimInterval=0", e -> {
        });
        done.assertIsSatisfied(5000);
        assertEquals(id, done.getExchanges().get(0).getIn().getHeader(RedisStreamsConstants.ENTRY_ID));
        assertEquals(2L, done.getExchanges().get(0).getIn().getHeader(RedisStreamsConstants.DELIVERY_COUNT));
        await("acked").atMost(Duration.ofSeconds(5)).until(() -> pendingCount(KEY, GROUP) == 0);
    }

    @Test
    void xautoclaimTakesOverIdleEntriesOfADeadConsumer() throws Exception {
        String id = xadd(KEY, "type", "email");
        readAsOtherConsumer("dead-worker");
        MockEndpoint done = getMockEndpoint("mock:done");
        done.expectedMessageCount(1);
        route("redis-streams:" + KEY + "?group=" + GROUP + "&consumer=worker-2&block=100&minIdleTime=300&claimInterval=100", e -> {
        });
        done.assertIsSatisfied(5000);
        var in = done.getExchanges().get(0).getIn();
        assertEquals(id, in.getHeader(RedisStreamsConstants.ENTRY_ID));
        assertEquals("worker-2", in.getHeader(RedisStreamsConstants.CONSUMER));
        assertEquals(2L, in.getHeader(RedisStreamsConstants.DELIVERY_COUNT));
        await("acked").atMost(Duration.ofSeconds(5)).until(() -> pendingCount(KEY, GROUP) == 0);
    }

    @Test
    void deadLettersAfterMaxDeliveriesAtomicallyWithAllFields() throws Exception {
        List<Long> deliveries = new CopyOnWriteArrayList<>();
        route("redis-streams:" + KEY + "?group=" + GROUP + "&consumer=worker-1&block=50&minIdleTime=100&claimInterval=50"
              + "&maxDeliveries=3&deadLetterStream=notify:dead-letter", e -> {
                  deliveries.add(e.getIn().getHeader(RedisStreamsConstants.DELIVERY_COUNT, Long.class));
                  throw new IllegalStateException("gateway answered 503");
              });
        String id = xadd(KEY, "user_id", "123", "type", "push", "template", "promo");
        await("dead-lettered").atMost(Duration.ofSeconds(10)).until(() -> jedis.xlen("notify:dead-letter") == 1);
        await("acked").atMost(Duration.ofSeconds(3)).until(() -> pendingCount(KEY, GROUP) == 0);
        Await.holds("delivered exactly maxDeliveries times", Duration.ofMillis(400),
                () -> deliveries.equals(List.of(1L, 2L, 3L)) && jedis.xlen("notify:dead-letter") == 1);

        Map<String, String> dead = entries("notify:dead-letter").get(0);
        assertEquals("123", dead.get("user_id"));
        assertEquals("push", dead.get("type"));
        assertEquals("promo", dead.get("template"));
        assertEquals(KEY, dead.get("x-source-stream"));
        assertEquals(id, dead.get("x-source-id"));
        assertEquals(GROUP, dead.get("x-group"));
        assertEquals("3", dead.get("x-delivery-count"));
        assertEquals("java.lang.IllegalStateException: gateway answered 503", dead.get("x-error"));
        assertNotNull(Instant.parse(dead.get("x-failed-at")));
        assertEquals(1, jedis.xlen("notify:dead-letter"), "written once");
    }

    @Test
    void aNonRetryableFailureIsDeadLetteredAtOnce() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        route("redis-streams:" + KEY + "?group=" + GROUP + "&consumer=worker-1&block=50&minIdleTime=100&claimInterval=50"
              + "&maxDeliveries=5&deadLetterStream=notify:dead-letter", e -> {
                  attempts.incrementAndGet();
                  throw new IllegalArgumentException("wrapped", new RedisStreamsNonRetryableException("unknown template 'nope'"));
              });
        xadd(KEY, "type", "email", "template", "nope");
        await("dead-lettered").atMost(Duration.ofSeconds(5)).until(() -> jedis.xlen("notify:dead-letter") == 1);
        await("acked").atMost(Duration.ofSeconds(3)).until(() -> pendingCount(KEY, GROUP) == 0);
        Await.holds("no second attempt", Duration.ofMillis(300), () -> attempts.get() == 1);
        Map<String, String> dead = entries("notify:dead-letter").get(0);
        assertEquals("1", dead.get("x-delivery-count"));
        assertTrue(dead.get("x-error").contains("wrapped"), dead.get("x-error"));
    }

    @Test
    void theErrorInADeadLetterIsCutToOneKilobyte() throws Exception {
        route("redis-streams:" + KEY + "?group=" + GROUP + "&consumer=worker-1&block=50&deadLetterStream=dl", e -> {
            throw new RedisStreamsNonRetryableException("é".repeat(5000));
        });
        xadd(KEY, "type", "x");
        await("dead-lettered").atMost(Duration.ofSeconds(5)).until(() -> jedis.xlen("dl") == 1);
        String error = entries("dl").get(0).get("x-error");
        assertTrue(error.getBytes(java.nio.charset.StandardCharsets.UTF_8).length <= 1024, "length " + error.length());
        assertTrue(error.startsWith(RedisStreamsNonRetryableException.class.getName() + ": é"));
    }

    @Test
    void withoutDeadLetterStreamANonRetryableEntryStaysPending() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        route("redis-streams:" + KEY + "?group=" + GROUP + "&consumer=worker-1&block=50&claimInterval=0", e -> {
            attempts.incrementAndGet();
            throw new RedisStreamsNonRetryableException("bad");
        });
        xadd(KEY, "type", "x");
        await("attempted").atMost(Duration.ofSeconds(5)).until(() -> attempts.get() == 1);
        Await.holds("no ack of an entry that was not dead-lettered", Duration.ofMillis(300), () -> pendingCount(KEY, GROUP) == 1);
    }

    @Test
    void aPendingEntryDeletedFromTheStreamIsAcknowledgedNotProcessed() throws Exception {
        String id = xadd(KEY, "type", "email");
        readAsOtherConsumer("dead-worker");
        jedis.xdel(KEY, new StreamEntryID(id));
        AtomicInteger attempts = new AtomicInteger();
        route("redis-streams:" + KEY + "?group=" + GROUP + "&consumer=worker-2&block=50&minIdleTime=100&claimInterval=50", e -> {
            attempts.incrementAndGet();
        });
        await("deleted entry dropped from the pending list").atMost(Duration.ofSeconds(5)).until(() -> pendingCount(KEY, GROUP) == 0);
        assertEquals(0, attempts.get());
        xadd(KEY, "type", "push");
        await("consumer still works").atMost(Duration.ofSeconds(5)).until(() -> attempts.get() == 1);
    }

    @Test
    void asyncRoutesAreAckedWhenTheyComplete() throws Exception {
        Set<String> consumers = ConcurrentHashMap.newKeySet();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("redis-streams:" + KEY + "?group=" + GROUP + "&consumer=worker&block=100&concurrentConsumers=2")
                        .process(e -> consumers.add(e.getIn().getHeader(RedisStreamsConstants.CONSUMER, String.class)))
                        .threads(2).delay(20).asyncDelayed().to("mock:done");
            }
        });
        MockEndpoint done = getMockEndpoint("mock:done");
        done.expectedMessageCount(50);
        for (int i = 0; i < 50; i++) {
            xadd(KEY, "n", Integer.toString(i));
        }
        done.assertIsSatisfied(10000);
        await("all acked").atMost(Duration.ofSeconds(5)).until(() -> pendingCount(KEY, GROUP) == 0);
        assertTrue(Set.of("worker-1", "worker-2").containsAll(consumers), consumers.toString());
        await("both consumers registered").atMost(Duration.ofSeconds(3)).until(() -> jedis.xinfoConsumers(KEY, GROUP).size() == 2);
    }

    @Test
    void twoConsumersInOneGroupNeverProcessTheSameEntry() throws Exception {
        Map<String, Integer> processed = new ConcurrentHashMap<>();
        org.apache.camel.Processor record = e -> processed.merge(e.getIn().getHeader(RedisStreamsConstants.ENTRY_ID, String.class), 1,
                Integer::sum);
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("redis-streams:" + KEY + "?group=" + GROUP + "&consumer=a&block=100&count=7&concurrentConsumers=2")
                        .process(record);
                from("redis-streams:" + KEY + "?group=" + GROUP + "&consumer=b&block=100&count=5").process(record);
            }
        });
        int n = 3000;
        for (int i = 0; i < n; i++) {
            xadd(KEY, "n", Integer.toString(i));
        }
        await("all processed").atMost(Duration.ofSeconds(20)).until(() -> processed.size() == n);
        await("all acked").atMost(Duration.ofSeconds(5)).until(() -> pendingCount(KEY, GROUP) == 0);
        assertEquals(n, processed.size());
        assertFalse(processed.values().stream().anyMatch(c -> c > 1), "an entry was processed twice");
        assertEquals(3, jedis.xinfoConsumers(KEY, GROUP).size());
    }

    @Test
    void aPlainReaderReplaysTheWholeHistoryAndFollowsTheStream() throws Exception {
        for (int i = 0; i < 5; i++) {
            xadd("business:events", "type", "order_created", "order_id", Integer.toString(1000 + i));
        }
        MockEndpoint done = getMockEndpoint("mock:done");
        done.expectedMessageCount(6);
        route("redis-streams:business:events?block=100&count=2", e -> {
        });
        await("history replayed").atMost(Duration.ofSeconds(5)).until(() -> done.getReceivedCounter() == 5);
        xadd("business:events", "type", "order_paid", "order_id", "1000");
        done.assertIsSatisfied(5000);
        List<String> orderIds = done.getExchanges().stream().map(e -> e.getIn().getBody(Map.class).get("order_id").toString()).toList();
        assertEquals(List.of("1000", "1001", "1002", "1003", "1004", "1000"), orderIds);
        assertEquals(1L, done.getExchanges().get(0).getIn().getHeader(RedisStreamsConstants.DELIVERY_COUNT));
        assertTrue(jedis.xinfoGroups("business:events").isEmpty(), "a plain reader creates no group");
    }

    @Test
    void aPlainReaderFromDollarSeesOnlyNewEntries() throws Exception {
        xadd("business:events", "type", "old");
        MockEndpoint done = getMockEndpoint("mock:done");
        done.expectedMessageCount(1);
        route("redis-streams:business:events?block=100&startId=$", e -> {
        });
        // an entry added before the first XREAD resolved $ would rightly never be seen
        await("reader blocked in XREAD").atMost(Duration.ofSeconds(5)).until(() -> jedis.clientList().contains("cmd=xread "));
        xadd("business:events", "type", "new");
        done.assertIsSatisfied(5000);
        assertEquals("new", done.getExchanges().get(0).getIn().getBody(Map.class).get("type"));
    }

    @Test
    void theExchangesOfOneReadCarryBatchPropertiesAndTheEntryTimestamp() throws Exception {
        for (String id : List.of("1700000000000-0", "1700000000000-1", "1700000000001-0")) {
            jedis.xadd(KEY, new StreamEntryID(id), Map.of("type", "email"));
        }
        MockEndpoint done = getMockEndpoint("mock:done");
        done.expectedMessageCount(3);
        route("redis-streams:" + KEY + "?group=" + GROUP + "&consumer=worker-1&block=100&count=10", e -> {
        });
        done.assertIsSatisfied(5000);
        List<Exchange> exchanges = done.getExchanges();
        assertEquals(List.of(0, 1, 2), exchanges.stream().map(e -> e.getProperty(Exchange.BATCH_INDEX, Integer.class)).toList());
        assertEquals(List.of(3, 3, 3), exchanges.stream().map(e -> e.getProperty(Exchange.BATCH_SIZE, Integer.class)).toList());
        assertEquals(List.of(false, false, true),
                exchanges.stream().map(e -> e.getProperty(Exchange.BATCH_COMPLETE, Boolean.class)).toList());
        assertEquals(List.of(1700000000000L, 1700000000000L, 1700000000001L),
                exchanges.stream().map(e -> e.getIn().getHeader(Exchange.MESSAGE_TIMESTAMP, Long.class)).toList());
        assertEquals(1700000000001L, exchanges.get(2).getIn().getMessageTimestamp(), "Camel's own accessor reads it");
    }

    @Test
    void aPlainReaderNumbersEachReadAsOneBatch() throws Exception {
        for (int i = 0; i < 5; i++) {
            xadd("business:events", "n", Integer.toString(i));
        }
        MockEndpoint done = getMockEndpoint("mock:done");
        done.expectedMessageCount(5);
        route("redis-streams:business:events?block=100&count=2", e -> {
        });
        done.assertIsSatisfied(5000);
        List<Exchange> exchanges = done.getExchanges();
        assertEquals(List.of(0, 1, 0, 1, 0), exchanges.stream().map(e -> e.getProperty(Exchange.BATCH_INDEX, Integer.class)).toList());
        assertEquals(List.of(2, 2, 2, 2, 1), exchanges.stream().map(e -> e.getProperty(Exchange.BATCH_SIZE, Integer.class)).toList());
        assertEquals(List.of(false, true, false, true, true),
                exchanges.stream().map(e -> e.getProperty(Exchange.BATCH_COMPLETE, Boolean.class)).toList());
    }

    @Test
    void aRefusedDeadLetterWriteLeavesTheEntryPending() throws Exception {
        jedis.set("notify:dead", "not a stream");
        String id = xadd(KEY, "type", "email");
        AtomicInteger attempts = new AtomicInteger();
        route("redis-streams:" + KEY + "?group=" + GROUP + "&consumer=worker-1&block=100&deadLetterStream=notify:dead", e -> {
            attempts.incrementAndGet();
            throw new RedisStreamsNonRetryableException("bad template");
        });
        await("attempted").atMost(Duration.ofMillis(5000)).until(() -> attempts.get() == 1);
        // the refused move happens on the reader's next turn
        Await.holds("not acked by a dead-letter move that failed", Duration.ofMillis(500), () -> pendingCount(KEY, GROUP) == 1);
        assertEquals(id, pending(KEY, GROUP).get(0).getID().toString());
        assertEquals("not a stream", jedis.get("notify:dead"));
    }

    @Test
    void aRefusedDeadLetterWriteReachesTheConsumersExceptionHandler() throws Exception {
        RecordingExceptionHandler recorder = new RecordingExceptionHandler();
        List<Throwable> reported = recorder.exceptions;
        context.getRegistry().bind("recorder", recorder);
        jedis.set("notify:dead", "not a stream");
        String id = xadd(KEY, "type", "email");
        route("redis-streams:" + KEY + "?group=" + GROUP + "&consumer=worker-1&block=100&deadLetterStream=notify:dead"
              + "&exceptionHandler=#recorder", e -> {
                  throw new RedisStreamsNonRetryableException("bad template");
              });
        org.awaitility.Awaitility.await("the refused write is reported").atMost(java.time.Duration.ofSeconds(5))
                .until(() -> !reported.isEmpty());
        assertTrue(reported.get(0).getMessage().contains("WRONGTYPE"), reported.get(0).toString());
        assertEquals(id, pending(KEY, GROUP).get(0).getID().toString(), "it stays pending");
    }
}
