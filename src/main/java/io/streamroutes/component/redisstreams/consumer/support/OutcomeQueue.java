package io.streamroutes.component.redisstreams.consumer.support;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

import io.streamroutes.component.redisstreams.RedisStreamsStatistics;
import io.streamroutes.component.redisstreams.client.DeadLetterEntry;
import io.streamroutes.component.redisstreams.client.DeadLetterTarget;
import io.streamroutes.component.redisstreams.client.GroupConsumer;
import io.streamroutes.component.redisstreams.client.RedisErrors;
import io.streamroutes.component.redisstreams.client.RedisStreamsClient;
import io.streamroutes.component.redisstreams.client.StreamCommands;
import io.streamroutes.component.redisstreams.client.StreamEntry;
import io.streamroutes.component.redisstreams.client.StreamGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outcomes a reader still has to write to Redis: acks of entries whose exchange completed, and dead letters.
 * Exchanges' completions queue them from any thread ({@link AckOnCompletion}); the reading thread, which owns the
 * connection, writes them: acks ride on the next XREADGROUP (one round trip) or go in their own XACK, dead letters
 * each in one move. What cannot be written stays queued for the next attempt, so nothing is acked before its exchange
 * completed and nothing is lost when Redis fails.
 * <p>
 * An exchange that completes on the reading thread itself (one consumer thread, a synchronous route: the common case)
 * puts its ack in a plain list that thread owns; only completions on other threads go through the concurrent queue.
 */
public final class OutcomeQueue {

    private static final Logger LOG = LoggerFactory.getLogger(OutcomeQueue.class);
    static final int MAX_ACKS_PER_CALL = 1000;

    /** Ids one XACK carries at most: at least a reader's whole in-flight window, so acks never fall behind the reads. */
    private final int acksPerCall;

    private final StreamGroup from;
    /** Null without a dead-letter stream. */
    private final DeadLetterTarget deadLetters;
    private final String key;
    private final RedisStreamsStatistics statistics;
    private final BiConsumer<String, Exception> reporter;
    private final Queue<String> acks = new ConcurrentLinkedQueue<>();
    /** The owner's acks handed over a batch at a time ({@link #shareOwnAcks}), with how many ids they hold. */
    private final Queue<List<String>> sharedOwnAcks = new ConcurrentLinkedQueue<>();
    private final AtomicInteger sharedOwnAckCount = new AtomicInteger();
    /** Acks queued by the owner thread; touched by that thread only. */
    private final List<String> ownAcks = new ArrayList<>();
    /** The size of {@link #ownAcks}, published (ordered writes, no fence) for {@link #queued} asked on other threads. */
    private final AtomicInteger ownAckCount = new AtomicInteger();
    /** The reading thread, which writes the outcomes; null until it starts. */
    private volatile Thread owner;
    private final Queue<DeadLetterEntry> deadLetterQueue = new ConcurrentLinkedQueue<>();

    /** @param reporter where a dead letter Redis refused is reported: the consumer's ExceptionHandler */
    public OutcomeQueue(StreamGroup from, DeadLetterTarget deadLetters, RedisStreamsStatistics statistics,
                      BiConsumer<String, Exception> reporter) {
        this(from, deadLetters, statistics, reporter, MAX_ACKS_PER_CALL);
    }

    /**
     * @param window the reader's in-flight window: a read's acks (one per entry of the window) go with the next read
     *               together, also when the window holds more than {@value #MAX_ACKS_PER_CALL} entries
     */
    public OutcomeQueue(StreamGroup from, DeadLetterTarget deadLetters, RedisStreamsStatistics statistics,
                        BiConsumer<String, Exception> reporter, int window) {
        this.acksPerCall = Math.max(MAX_ACKS_PER_CALL, window);
        this.from = from;
        this.deadLetters = deadLetters;
        this.key = from.key();
        this.statistics = statistics;
        this.reporter = reporter;
    }

    /** The calling thread (the reading thread) is the one that writes the outcomes from now on. */
    public void ownedByCurrentThread() {
        owner = Thread.currentThread();
    }

    public void ack(String id) {
        if (Thread.currentThread() == owner) {
            ownAcks.add(id);
            ownAckCount.lazySet(ownAcks.size());
        } else {
            acks.add(id);
        }
    }

    public void deadLetter(DeadLetterEntry deadLetter) {
        deadLetterQueue.add(deadLetter);
    }

    /** Asked by the reading thread. */
    public boolean isAckQueued(String id) {
        return ownAcks.contains(id) || acks.contains(id) || sharedOwnAcks.stream().anyMatch(shared -> shared.contains(id));
    }

    public int queuedAcks() {
        return ownAckCount.get() + sharedOwnAckCount.get() + acks.size();
    }

    /** Acks and dead letters not yet written. */
    public int queued() {
        return queuedAcks() + deadLetterQueue.size();
    }

    /**
     * Up to one XACK's worth of queued acks (a thousand, or the reader's window if larger), taken out of the queue:
     * give them back with {@link #requeue} if not sent.
     * Called by the reading thread.
     */
    List<String> takeAcks() {
        List<String> batch;
        if (ownAcks.size() <= acksPerCall) {
            batch = new ArrayList<>(ownAcks);
            ownAcks.clear();
        } else {
            List<String> first = ownAcks.subList(0, acksPerCall);
            batch = new ArrayList<>(first);
            first.clear();
        }
        ownAckCount.lazySet(ownAcks.size());
        return addShared(batch);
    }

    /**
     * Up to one XACK's worth of the acks queued by other threads or {@link #shareOwnAcks shared} by the owner: for the
     * {@link ReadAhead}'s I/O thread while the owner dispatches.
     */
    List<String> takeSharedAcks() {
        return addShared(new ArrayList<>());
    }

    private List<String> addShared(List<String> batch) {
        List<String> shared;
        while (batch.size() < acksPerCall && (shared = sharedOwnAcks.poll()) != null) {
            batch.addAll(shared);
            sharedOwnAckCount.addAndGet(-shared.size());
        }
        String id;
        while (batch.size() < acksPerCall && (id = acks.poll()) != null) {
            batch.add(id);
        }
        return batch;
    }

    /** Called by the owner thread: its queued acks may go with a read ahead (sent by another thread) from now on. */
    public void shareOwnAcks() {
        if (!ownAcks.isEmpty()) {
            List<String> shared = new ArrayList<>(ownAcks);
            sharedOwnAckCount.addAndGet(shared.size());
            sharedOwnAcks.add(shared);
            ownAcks.clear();
            ownAckCount.lazySet(0);
        }
    }

    public boolean hasDeadLetters() {
        return !deadLetterQueue.isEmpty();
    }

    /** Acks taken but not confirmed written: XACK is idempotent, so sending them again is safe. */
    void requeue(Collection<String> ids) {
        acks.addAll(ids);
    }

    /** Redis confirmed {@code count} acks. */
    void acked(long count) {
        statistics.acked(count);
    }

    /**
     * One XACK of queued acks, waiting for the reply; false when none was queued. If it fails they stay queued (XACK is
     * idempotent: sending them again is safe) and the failure is thrown.
     */
    boolean ackQueued(StreamCommands redis) {
        List<String> batch = takeAcks();
        if (batch.isEmpty()) {
            return false;
        }
        try {
            acked(redis.ack(from, batch));
        } catch (RuntimeException e) {
            requeue(batch);
            throw e;
        }
        return true;
    }

    /** The queued acks and the next read of the group, in one round trip. */
    public List<StreamEntry> ackThenRead(StreamCommands redis, GroupConsumer consumer, int count, long blockMs) {
        List<String> batch = takeAcks();
        try {
            RedisStreamsClient.AckedRead result = redis.ackThenReadGroup(consumer, batch, count, blockMs, ">");
            acked(result.acked());
            return result.entries();
        } catch (RuntimeException e) {
            requeue(batch);
            throw e;
        }
    }

    /**
     * Writes queued acks and dead letters; what cannot be written stays queued. With {@code acksRideOnNextRead} the
     * acks are left for the next XREADGROUP, which sends them in the same round trip.
     */
    public void write(StreamCommands redis, boolean acksRideOnNextRead) {
        if (!acksRideOnNextRead) {
            while (ackQueued(redis)) {
                // one XACK's worth at a time, until none is queued
            }
        }
        DeadLetterEntry deadLetter;
        while ((deadLetter = deadLetterQueue.peek()) != null) {
            writeDeadLetter(redis, deadLetter);
            deadLetterQueue.poll();
        }
    }

    private void writeDeadLetter(StreamCommands redis, DeadLetterEntry deadLetter) {
        String target = deadLetters.stream();
        try {
            if (redis.moveToDeadLetter(deadLetters, from, deadLetter)) {
                statistics.deadLettered();
                LOG.warn("Entry {} of stream '{}' moved to dead-letter stream '{}'", deadLetter.id(), key, target);
            } else {
                LOG.info("Entry {} of stream '{}' was no longer pending (acked elsewhere); not dead-lettered", deadLetter.id(), key);
            }
        } catch (RuntimeException e) {
            if (RedisErrors.isConnectionFailure(e)) {
                throw e; // retried after reconnecting
            }
            // Redis refused the write (e.g. the target key is not a stream): keep the entry pending, never lose it
            LOG.error("Could not dead-letter entry {} of stream '{}' to '{}': {}. It stays pending.", deadLetter.id(), key,
                    target, RedisErrors.describe(e));
            reporter.accept("Could not dead-letter entry " + deadLetter.id() + " of stream '" + key + "' to '" + target
                            + "'; it stays pending", e);
        }
    }
}
