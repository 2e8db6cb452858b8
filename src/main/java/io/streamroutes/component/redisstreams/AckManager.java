package io.streamroutes.component.redisstreams;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.BiConsumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outcomes a reader still has to write to Redis: acks of entries whose exchange completed, and dead letters.
 * Exchanges' completions queue them from any thread ({@link AcknowledgeCompletion}); the reading thread, which owns the
 * connection, writes them: acks ride on the next XREADGROUP (one round trip) or go in their own XACK, dead letters
 * each in one move. What cannot be written stays queued for the next attempt, so nothing is acked before its exchange
 * completed and nothing is lost when Redis fails.
 */
final class AckManager {

    private static final Logger LOG = LoggerFactory.getLogger(AckManager.class);
    static final int MAX_ACKS_PER_CALL = 1000;

    private final RedisStreamsConfiguration config;
    private final String key;
    private final RedisStreamsStatistics statistics;
    private final BiConsumer<String, Exception> reporter;
    private final Queue<String> acks = new ConcurrentLinkedQueue<>();
    private final Queue<DeadLetter> deadLetters = new ConcurrentLinkedQueue<>();

    /** @param reporter where a dead letter Redis refused is reported: the consumer's ExceptionHandler */
    AckManager(RedisStreamsConfiguration config, String key, RedisStreamsStatistics statistics,
               BiConsumer<String, Exception> reporter) {
        this.config = config;
        this.key = key;
        this.statistics = statistics;
        this.reporter = reporter;
    }

    void ack(String id) {
        acks.add(id);
    }

    void deadLetter(DeadLetter deadLetter) {
        deadLetters.add(deadLetter);
    }

    boolean isAckQueued(String id) {
        return acks.contains(id);
    }

    int queuedAcks() {
        return acks.size();
    }

    /** Acks and dead letters not yet written. */
    int queued() {
        return acks.size() + deadLetters.size();
    }

    /** Up to one XACK's worth of queued acks, taken out of the queue: give them back with {@link #requeue} if not sent. */
    List<String> takeAcks() {
        List<String> batch = new ArrayList<>();
        String id;
        while (batch.size() < MAX_ACKS_PER_CALL && (id = acks.poll()) != null) {
            batch.add(id);
        }
        return batch;
    }

    /** Acks taken but not confirmed written: XACK is idempotent, so sending them again is safe. */
    void requeue(Collection<String> ids) {
        acks.addAll(ids);
    }

    /** Redis confirmed {@code count} acks. */
    void acked(long count) {
        statistics.acked(count);
    }

    /** The queued acks and the next read of the group, in one round trip. */
    List<StreamEntry> ackThenRead(StreamCommands redis, String consumer, int count, long blockMs) {
        List<String> batch = takeAcks();
        try {
            RedisStreamsClient.AckedRead result = redis.ackThenReadGroup(key, config.getGroup(), batch, consumer, count, blockMs, ">");
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
    void write(StreamCommands redis, boolean acksRideOnNextRead) {
        if (!acksRideOnNextRead) {
            List<String> batch;
            while (!(batch = takeAcks()).isEmpty()) {
                try {
                    acked(redis.ack(key, config.getGroup(), batch));
                } catch (RuntimeException e) {
                    requeue(batch);
                    throw e;
                }
            }
        }
        DeadLetter deadLetter;
        while ((deadLetter = deadLetters.peek()) != null) {
            writeDeadLetter(redis, deadLetter);
            deadLetters.poll();
        }
    }

    private void writeDeadLetter(StreamCommands redis, DeadLetter deadLetter) {
        String target = config.getDeadLetterStream();
        try {
            if (redis.moveToDeadLetter(config, key, deadLetter)) {
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
