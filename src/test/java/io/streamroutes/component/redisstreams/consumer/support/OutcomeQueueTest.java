package io.streamroutes.component.redisstreams.consumer.support;

import java.util.ArrayList;
import java.util.List;

import io.streamroutes.component.redisstreams.RedisStreamsConfiguration;
import io.streamroutes.component.redisstreams.RedisStreamsStatistics;
import io.streamroutes.component.redisstreams.client.DeadLetterEntry;
import io.streamroutes.component.redisstreams.client.GroupConsumer;
import io.streamroutes.component.redisstreams.client.InMemoryStreamCommands;
import io.streamroutes.component.redisstreams.client.StreamEntry;
import io.streamroutes.component.redisstreams.client.StreamGroup;
import io.streamroutes.component.redisstreams.consumer.AckOnCompletion;
import io.streamroutes.component.redisstreams.consumer.StreamReader;
import io.streamroutes.component.redisstreams.consumer.errorhandler.ConsumerPause;
import io.streamroutes.component.redisstreams.consumer.errorhandler.FailedDelivery;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The ack manager and the completion that feeds it, without a server: acks only after completion, nothing lost. */
class OutcomeQueueTest {

    private static final long NOW = 1_700_000_000_000L;
    private static final StreamGroup ORDERS = new StreamGroup("orders", "g");
    private static final GroupConsumer C = ORDERS.consumer("c");
    private static final DefaultCamelContext CONTEXT = new DefaultCamelContext();

    private final RedisStreamsConfiguration config = new RedisStreamsConfiguration();
    private final RedisStreamsStatistics statistics = new RedisStreamsStatistics();
    private final List<String> reported = new ArrayList<>();
    private final InMemoryStreamCommands redis = new InMemoryStreamCommands().add("1-0", "2-0", "3-0");
    private final RetryQueue retries = new RetryQueue();
    private final ConsumerPause pause = new ConsumerPause();
    private OutcomeQueue acks;
    private FailedDelivery failures;

    @BeforeEach
    void setUp() {
        config.setGroup("g");
        config.setDeadLetterStream("dead");
        config.setMaxDeliveries(3);
        acks = new OutcomeQueue(ORDERS, StreamReader.deadLetterTarget(config), statistics, (message, e) -> reported.add(message));
        failures = new FailedDelivery(ORDERS, StreamReader.deliveryPolicy(config), new Bookkeeping(null, retries, acks, () -> NOW), pause,
                statistics);
        redis.ackThenReadGroup(C, List.of(), 10, 0, ">"); // all three pending for us
    }

    @AfterAll
    static void closeContext() throws Exception {
        CONTEXT.close();
    }

    private static StreamEntry entry(String id) {
        return new StreamEntry(id, List.of());
    }

    private AckOnCompletion completion(String id, long deliveryCount) {
        return new AckOnCompletion(entry(id), deliveryCount, acks, failures);
    }

    private static Exchange failedExchange(Exception e) {
        Exchange exchange = new DefaultExchange(CONTEXT);
        exchange.setException(e);
        return exchange;
    }

    @Test
    void anEntryIsAckedOnlyAfterItsExchangeCompletedAndThenWritten() {
        acks.write(redis, false);
        assertEquals(List.of(), redis.acked);

        completion("2-0", 1).onComplete(new DefaultExchange(CONTEXT));
        assertEquals(List.of(), redis.acked, "queued, not yet written");
        acks.write(redis, false);

        assertEquals(List.of("2-0"), redis.acked);
        assertEquals(1, statistics.getAcked());
        assertEquals(0, acks.queued());
    }

    @Test
    void acksRideOnTheNextReadInTheSameRoundTrip() {
        acks.ack("1-0");
        acks.write(redis, true);
        assertEquals(List.of(), redis.acked, "left for the next read");

        acks.ackThenRead(redis, C, 10, 0);

        assertEquals(List.of("1-0"), redis.acked);
        assertEquals(0, redis.ackCalls, "no XACK of its own");
    }

    @Test
    void acksThatCouldNotBeWrittenStayQueuedForTheNextAttempt() {
        acks.ack("1-0");
        acks.ack("3-0");
        redis.failNext = new JedisConnectionException("reset");
        assertThrows(JedisConnectionException.class, () -> acks.write(redis, false));
        assertEquals(2, acks.queuedAcks());

        redis.failNext = new JedisConnectionException("reset");
        assertThrows(JedisConnectionException.class, () -> acks.ackThenRead(redis, C, 10, 0));
        assertEquals(2, acks.queuedAcks());

        acks.write(redis, false);
        assertEquals(List.of("1-0", "3-0"), redis.acked);
    }

    @Test
    void oneXackCarriesAtMostAThousandIds() {
        for (int i = 0; i < 2500; i++) {
            acks.ack(i + "-1");
        }
        acks.write(redis, false);
        assertEquals(3, redis.ackCalls);
    }

    @Test
    void acksOfTheReadingThreadAndOfOtherThreadsAreAllWrittenOnce() throws InterruptedException {
        acks.ownedByCurrentThread(); // this test's thread plays the reading thread
        completion("1-0", 1).onComplete(new DefaultExchange(CONTEXT));
        Thread worker = new Thread(() -> completion("2-0", 1).onComplete(new DefaultExchange(CONTEXT)));
        worker.start();
        worker.join();
        assertEquals(2, acks.queuedAcks());
        assertTrue(acks.isAckQueued("1-0"));
        assertTrue(acks.isAckQueued("2-0"));

        int[] seenElsewhere = new int[1];
        Thread shutdownStrategy = new Thread(() -> seenElsewhere[0] = acks.queued());
        shutdownStrategy.start();
        shutdownStrategy.join();
        assertEquals(2, seenElsewhere[0], "what the shutdown strategy waits for includes the reading thread's acks");

        redis.failNext = new JedisConnectionException("reset");
        assertThrows(JedisConnectionException.class, () -> acks.ackThenRead(redis, C, 10, 0));
        assertEquals(2, acks.queuedAcks(), "kept for the next attempt");

        acks.ackThenRead(redis, C, 10, 0);
        assertEquals(List.of("1-0", "2-0"), redis.acked.stream().sorted().toList());
        assertEquals(0, acks.queued());
        acks.write(redis, false);
        assertEquals(2, redis.acked.size(), "nothing written twice");
    }

    @Test
    void theReadingThreadsOwnAcksAlsoGoAtMostAThousandPerXack() {
        acks.ownedByCurrentThread();
        for (int i = 0; i < 2500; i++) {
            acks.ack(i + "-1");
        }
        assertEquals(2500, acks.queuedAcks());
        acks.write(redis, false);
        assertEquals(3, redis.ackCalls);
        assertEquals(0, acks.queued());
    }

    @Test
    void aWindowLargerThanAThousandHasItsAcksSentTogether() {
        OutcomeQueue large = new OutcomeQueue(ORDERS, null, statistics, (message, e) -> { }, 2500);
        large.ownedByCurrentThread();
        for (int i = 0; i < 2500; i++) {
            large.ack(i + "-1");
        }
        assertEquals(2500, large.takeAcks().size(), "a batch of count=2500 is acked with the next read, not 1000 a read");
        for (int i = 0; i < 2600; i++) {
            large.ack(i + "-2");
        }
        assertEquals(2500, large.takeAcks().size());
        assertEquals(100, large.queuedAcks());
    }

    @Test
    void acksSharedForAReadAheadAreCountedFoundAndTakenByEitherThread() throws Exception {
        acks.ownedByCurrentThread();
        acks.ack("1-0");
        acks.ack("2-0");
        acks.shareOwnAcks();
        acks.ack("3-0");

        assertEquals(3, acks.queuedAcks());
        assertTrue(acks.isAckQueued("1-0"));
        java.util.concurrent.atomic.AtomicReference<List<String>> taken = new java.util.concurrent.atomic.AtomicReference<>();
        Thread io = new Thread(() -> taken.set(acks.takeSharedAcks()));
        io.start();
        io.join();
        assertEquals(List.of("1-0", "2-0"), taken.get(), "only what was shared: the rest is the reading thread's");
        assertEquals(1, acks.queuedAcks());

        acks.shareOwnAcks();
        acks.ack("4-0");
        assertEquals(List.of("4-0", "3-0"), acks.takeAcks(), "the reading thread takes its own and the shared ones");
        assertEquals(0, acks.queuedAcks());
    }

    @Test
    void aFailureOnTheLastAllowedDeliveryIsDeadLetteredAndTheEntryLeavesThePendingList() {
        completion("2-0", 3).onFailure(failedExchange(new IllegalStateException("boom")));
        assertEquals(List.of(), redis.acked);

        acks.write(redis, false);

        assertEquals(1, redis.deadLettered.size());
        assertEquals("2-0", redis.deadLettered.get(0).id());
        assertTrue(!redis.pending.contains("2-0"));
        assertEquals(1, statistics.getDeadLettered());
        assertEquals(0, retries.size());
    }

    @Test
    void anEarlierFailureWaitsForItsRetryAndIsNotAcked() {
        completion("1-0", 1).onFailure(failedExchange(new IllegalStateException("boom")));
        acks.write(redis, false);

        assertTrue(retries.contains("1-0"));
        assertTrue(retries.nextDueAtMillis() > NOW);
        assertTrue(redis.pending.contains("1-0"));
        assertEquals(List.of(), redis.acked);
        assertEquals(1, statistics.getFailed());
    }

    @Test
    void aDeadLetterRedisRefusesLeavesTheEntryPendingAndIsReported() {
        acks.deadLetter(DeadLetterEntry.of(entry("3-0"), ORDERS, 3, "boom"));
        redis.failNext = new JedisDataException("WRONGTYPE Operation against a key holding the wrong kind of value");

        acks.write(redis, false);

        assertTrue(redis.pending.contains("3-0"));
        assertEquals(1, reported.size());
        assertTrue(reported.get(0).contains("Could not dead-letter entry 3-0"), reported.get(0));
    }

    @Test
    void aDeadLetterThatCouldNotReachRedisStaysQueued() {
        acks.deadLetter(DeadLetterEntry.of(entry("3-0"), ORDERS, 3, "boom"));
        redis.failNext = new JedisConnectionException("reset");
        assertThrows(JedisConnectionException.class, () -> acks.write(redis, false));
        assertEquals(1, acks.queued());

        acks.write(redis, false);
        assertEquals(1, redis.deadLettered.size());
        assertEquals(List.of(), reported);
    }
}
