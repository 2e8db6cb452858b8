package io.streamroutes.component.redisstreams.consumer.support;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import io.streamroutes.component.redisstreams.RedisStreamsConfiguration;
import io.streamroutes.component.redisstreams.RedisStreamsStatistics;
import io.streamroutes.component.redisstreams.client.GroupConsumer;
import io.streamroutes.component.redisstreams.client.InMemoryStreamCommands;
import io.streamroutes.component.redisstreams.client.StreamEntry;
import io.streamroutes.component.redisstreams.client.StreamGroup;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The read-ahead step on its I/O thread, without a server: acks confirmed before the read goes out, the read followed
 * at once while the reading thread waits for it, joined, given back on stop.
 */
class ReadAheadTest {

    private static final GroupConsumer C = new StreamGroup("orders", "g").consumer("c");

    private final ExecutorService io = Executors.newSingleThreadExecutor();
    private final AtomicLong clock = new AtomicLong(1_000_000);
    private final RedisStreamsConfiguration config = new RedisStreamsConfiguration();
    private final InMemoryStreamCommands redis = new InMemoryStreamCommands().add("1-0", "2-0", "3-0", "4-0");
    private final OutcomeQueue acks;

    ReadAheadTest() {
        config.setGroup("g");
        config.setMinIdleTime(60_000);
        acks = new OutcomeQueue(C.streamGroup(), null, new RedisStreamsStatistics(), (message, e) -> { });
    }

    @AfterEach
    void stopIo() {
        io.shutdownNow();
    }

    private ReadAhead readAhead(ExecutorService executor) {
        return new ReadAhead(executor, C, config.getMinIdleTime(), 3, acks, clock::get);
    }

    /**
     * The queued acks go in an XACK of their own, before the read: Redis writes the replies of commands that arrive
     * together only once it has run them all, so waiting for an XACK sent with the read would wait for the read.
     */
    @Test
    void theQueuedAcksGoAloneBeforeTheReadAheadAndItsEntriesAreTakenNext() {
        acks.ackThenRead(redis, C, 1, 0); // 1-0 pending
        acks.ack("1-0");
        ReadAhead readAhead = readAhead(io);

        assertTrue(readAhead.start(redis));
        readAhead.join();

        assertEquals(List.of("1-0"), redis.acked);
        assertEquals(1, redis.ackCalls, "an XACK of their own, not in the read's round trip");
        assertTrue(readAhead.hasEntries());
        assertEquals(List.of("2-0", "3-0", "4-0"), readAhead.take(redis).stream().map(StreamEntry::id).toList());
        assertFalse(readAhead.hasEntries());
    }

    /**
     * The acks of the batch the route finished are confirmed before start returns, not whenever the I/O thread runs:
     * the caller then hands the route its next batch, and a crash must not find both batches processed and unacked.
     */
    @Test
    void theAcksAreConfirmedBeforeStartReturnsEvenWhileTheIoThreadIsBusy() throws Exception {
        acks.ackThenRead(redis, C, 1, 0); // 1-0 pending
        acks.ack("1-0");
        CountDownLatch ioBusy = new CountDownLatch(1);
        io.submit(() -> ioBusy.await(10, TimeUnit.SECONDS));
        ReadAhead readAhead = readAhead(io);

        assertTrue(readAhead.start(redis));

        assertEquals(List.of("1-0"), redis.acked, "acked by the calling thread");
        assertFalse(readAhead.hasEntries(), "the read's reply is the I/O thread's");
        ioBusy.countDown();
        readAhead.join();
        assertEquals(0, acks.queuedAcks());
        assertEquals(List.of("2-0", "3-0", "4-0"), ids(readAhead.take(redis)));
    }

    private static List<String> ids(List<StreamEntry> entries) {
        return entries.stream().map(StreamEntry::id).toList();
    }

    @Test
    void aFullReadArrivingWhileTheReaderWaitsIsFollowedAtOnceWithTheAcksSharedMeanwhile() throws Exception {
        InMemoryStreamCommands nine = new InMemoryStreamCommands().add("1-0", "2-0", "3-0", "4-0", "5-0", "6-0", "7-0", "8-0", "9-0");
        ReadAhead readAhead = firstBatchDoneAndNextReadWaitedFor(nine);
        await().atMost(Duration.ofSeconds(5)).until(() -> acks.queuedAcks() == 0); // taken by the next read, unasked
        readAhead.join();

        assertEquals(List.of("4-0", "5-0", "6-0"), ids(readAhead.take(nine)));
        assertEquals(List.of("7-0", "8-0", "9-0"), ids(readAhead.take(nine)));
        assertEquals(List.of("1-0", "2-0", "3-0"), nine.acked, "the acks went with the read that followed");
        assertFalse(readAhead.hasEntries());
    }

    /**
     * 1-0..3-0 handed to the route, which finishes them while the next three are read ahead; that read comes back to the
     * reading thread waiting for it with its window free.
     */
    private ReadAhead firstBatchDoneAndNextReadWaitedFor(InMemoryStreamCommands redis) throws InterruptedException {
        acks.ackThenRead(redis, C, 3, 0);
        return readAheadWaitedFor(redis, true, () -> List.of("1-0", "2-0", "3-0").forEach(acks::ack));
    }

    /**
     * Starts reading ahead, runs {@code meanwhile} while the read is held back, and returns once the read came back to
     * the reading thread waiting for it ({@code windowFree}: with none of its entries running).
     */
    private ReadAhead readAheadWaitedFor(InMemoryStreamCommands redis, boolean windowFree, Runnable meanwhile)
            throws InterruptedException {
        redis.readGate = new CountDownLatch(1);
        ReadAhead readAhead = readAhead(io);
        assertTrue(readAhead.start(redis));
        meanwhile.run();
        AtomicBoolean found = new AtomicBoolean();
        Thread reader = waitingReader(readAhead, windowFree, found);
        redis.readGate.countDown();
        reader.join(5000);
        assertTrue(found.get());
        return readAhead;
    }

    /** The reading thread's wait for entries, on a thread of its own; the test waits until it waits. */
    private static Thread waitingReader(ReadAhead readAhead, boolean windowFree, AtomicBoolean found) {
        Thread reader = new Thread(() -> found.set(readAhead.awaitEntries(windowFree)));
        reader.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> reader.getState() == Thread.State.WAITING
                                                         || reader.getState() == Thread.State.TERMINATED);
        return reader;
    }

    @Test
    void whileFollowingTheNextReadGoesOutBeforeTheReplyInFlightIsRead() throws Exception {
        InMemoryStreamCommands twelve = new InMemoryStreamCommands()
                .add("1-0", "2-0", "3-0", "4-0", "5-0", "6-0", "7-0", "8-0", "9-0", "10-0", "11-0", "12-0");
        ReadAhead readAhead = firstBatchDoneAndNextReadWaitedFor(twelve);
        assertEquals(List.of("4-0", "5-0", "6-0"), ids(readAhead.take(twelve)));
        assertEquals(1, twelve.mostSentAtOnce, "the next read went out at once, the one after waits for the reader");

        acks.ack("4-0");
        acks.ack("5-0");
        acks.ack("6-0");
        AtomicBoolean found = new AtomicBoolean();
        waitingReader(readAhead, true, found).join(5000);
        assertTrue(found.get());
        assertEquals(2, twelve.mostSentAtOnce, "the reader waits with its window free: the next read went out first");
        assertEquals(List.of("7-0", "8-0", "9-0"), ids(readAhead.take(twelve)));
        readAhead.join();

        assertEquals(List.of("10-0", "11-0", "12-0"), ids(readAhead.take(twelve)));
        assertEquals(List.of("1-0", "2-0", "3-0", "4-0", "5-0", "6-0"), twelve.acked);
    }

    @Test
    void followingStopsOnceTheReaderWaitsWithEntriesRunning() throws Exception {
        InMemoryStreamCommands twelve = new InMemoryStreamCommands()
                .add("1-0", "2-0", "3-0", "4-0", "5-0", "6-0", "7-0", "8-0", "9-0", "10-0", "11-0", "12-0");
        ReadAhead readAhead = readAheadWaitedFor(twelve, true, () -> { });
        assertEquals(List.of("1-0", "2-0", "3-0"), ids(readAhead.take(twelve)));

        AtomicBoolean found = new AtomicBoolean();
        waitingReader(readAhead, false, found).join(5000); // 1-0..3-0 still run
        assertTrue(found.get());
        assertEquals(List.of("4-0", "5-0", "6-0"), ids(readAhead.take(twelve)));
        await().atMost(Duration.ofSeconds(5)).until(() -> !readAhead.isRunning());
        assertEquals(1, twelve.mostSentAtOnce);
        assertEquals(6, twelve.pending.size(), "the running batch plus one read: " + twelve.pending);
    }

    @Test
    void aFullReadArrivingWhileTheReaderWaitsWithEntriesStillRunningIsNotFollowed() throws Exception {
        InMemoryStreamCommands nine = new InMemoryStreamCommands().add("1-0", "2-0", "3-0", "4-0", "5-0", "6-0", "7-0", "8-0", "9-0");
        acks.ackThenRead(nine, C, 3, 0); // 1-0..3-0 handed to the route, still running
        ReadAhead readAhead = readAheadWaitedFor(nine, false, () -> { });
        readAhead.join();

        assertEquals(List.of("4-0", "5-0", "6-0"), ids(readAhead.take(nine)));
        assertFalse(readAhead.hasEntries(), "the window's entries plus one read delivered: " + nine.pending);
        assertEquals(6, nine.pending.size());
    }

    @Test
    void aReadArrivingWhileTheReaderIsBusyIsNotFollowed() {
        InMemoryStreamCommands nine = new InMemoryStreamCommands().add("1-0", "2-0", "3-0", "4-0", "5-0", "6-0", "7-0", "8-0", "9-0");
        ReadAhead readAhead = readAhead(io);
        assertTrue(readAhead.start(nine));
        await().atMost(Duration.ofSeconds(5)).until(readAhead::hasEntries);
        readAhead.join();

        assertEquals(List.of("1-0", "2-0", "3-0"), ids(readAhead.take(nine)));
        assertFalse(readAhead.hasEntries(), "one read ahead while the route works: " + nine.pending);
        assertEquals(3, nine.pending.size());
        assertEquals(1, nine.mostSentAtOnce);
    }

    @Test
    void aRunThatEndedByItselfIsStartedAgainByTheNextFullBatch() {
        InMemoryStreamCommands nine = new InMemoryStreamCommands().add("1-0", "2-0", "3-0", "4-0", "5-0", "6-0", "7-0", "8-0", "9-0");
        ReadAhead readAhead = readAhead(io);
        readAhead.start(nine);
        await().atMost(Duration.ofSeconds(5)).until(readAhead::hasEntries);
        assertEquals(List.of("1-0", "2-0", "3-0"), ids(readAhead.take(nine)));

        assertTrue(readAhead.start(nine));
        await().atMost(Duration.ofSeconds(5)).until(readAhead::hasEntries);
        readAhead.join();
        assertEquals(List.of("4-0", "5-0", "6-0"), ids(readAhead.take(nine)));
    }

    /** Redis refusing the XACK (not a lost connection) does not hold the read back; the acks are sent again later. */
    @Test
    void aRefusedXackIsThrownByTheNextJoinAndTheReadStillGoesOut() {
        acks.ackThenRead(redis, C, 1, 0); // 1-0 pending
        acks.ack("1-0");
        redis.failNext = new JedisDataException("ERR refused");
        ReadAhead readAhead = readAhead(io);

        assertTrue(readAhead.start(redis));

        assertThrows(JedisDataException.class, readAhead::join);
        assertEquals(1, acks.queuedAcks(), "given back, to be sent again");
        assertEquals(List.of("2-0", "3-0", "4-0"), ids(readAhead.take(redis)));
    }

    @Test
    void aFailedReadAheadGivesItsAcksBack() {
        acks.ack("1-0");
        redis.failNext = new JedisConnectionException("reset");
        ReadAhead readAhead = readAhead(io);

        assertTrue(readAhead.start(redis));
        assertThrows(JedisConnectionException.class, readAhead::join);

        assertEquals(1, acks.queuedAcks());
        assertFalse(readAhead.hasEntries());
    }

    @Test
    void entriesClaimedElsewhereWhileTheBatchRanLongAreNotTaken() {
        ReadAhead readAhead = readAhead(io);
        readAhead.start(redis);
        readAhead.join();
        redis.pending.remove("2-0"); // another consumer's XAUTOCLAIM
        clock.addAndGet(30_000); // half of minIdleTime

        assertEquals(List.of("1-0", "3-0"), readAhead.take(redis).stream().map(StreamEntry::id).toList());
    }

    @Test
    void entriesNotHandedOutAreGivenBackOnStop() {
        ReadAhead readAhead = readAhead(io);
        readAhead.start(redis);
        readAhead.join();

        readAhead.giveBack(redis);

        assertEquals(List.of("1-0", "2-0", "3-0"), redis.released);
        assertFalse(readAhead.hasEntries());
    }

    @Test
    void aReadSentWhenThePoolRefusesTheIoTaskIsReceivedByTheCallingThread() throws Exception {
        acks.ackThenRead(redis, C, 1, 0); // 1-0 pending
        acks.ack("1-0");
        // one thread, no queue: while its thread is busy the pool refuses, without being shut down
        ThreadPoolExecutor full = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new SynchronousQueue<>());
        CountDownLatch busy = new CountDownLatch(1);
        full.execute(() -> {
            try {
                busy.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try {
            ReadAhead readAhead = readAhead(full);

            assertTrue(readAhead.start(redis));

            assertFalse(readAhead.isRunning());
            assertTrue(readAhead.awaitEntries(true), "received before start returned");
            readAhead.join();
            assertEquals(List.of("1-0"), redis.acked);
            assertEquals(List.of("2-0", "3-0", "4-0"), ids(readAhead.take(redis)));
        } finally {
            busy.countDown();
            full.shutdownNow();
        }
    }

    @Test
    void withoutAnIoThreadOrPipeliningThereIsNoReadAhead() {
        acks.ack("1-0");
        assertFalse(readAhead(null).start(redis));
        io.shutdown();
        assertFalse(readAhead(io).start(redis), "a stopping pool refuses");
        assertEquals(1, acks.queuedAcks(), "the acks wait for the next write");
    }
}
