package io.streamroutes.component.redisstreams.consumer.support;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.LongSupplier;

import io.streamroutes.component.redisstreams.client.GroupConsumer;
import io.streamroutes.component.redisstreams.client.RedisStreamsClient;
import io.streamroutes.component.redisstreams.client.StreamCommands;
import io.streamroutes.component.redisstreams.client.StreamEntry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reading ahead, a step apart from the reading loop: while the reading thread dispatches a full batch, an I/O thread
 * (from Camel's ExecutorServiceManager) sends the acks of finished entries and the next non-blocking XREADGROUP in one
 * round trip, so Redis serves the next batch meanwhile. The reading thread {@link #join joins} that call before it
 * touches the connection again, so the connection is used by one thread at a time, through the client's public API.
 * Where the connection cannot pipeline (Redis Cluster) there is no reading ahead.
 */
public final class ReadAhead {

    private static final Logger LOG = LoggerFactory.getLogger(ReadAhead.class);

    private final ExecutorService io;
    private final GroupConsumer consumer;
    private final String key;
    /** Read-ahead entries older than half of this when taken are checked for a take-over first. */
    private final long minIdleTime;
    private final int count;
    private final OutcomeQueue acks;
    private final LongSupplier clock;
    private Future<RedisStreamsClient.AckedRead> call;
    private List<String> sentAcks;
    private long sentAt;
    /** Entries read ahead, not yet handed to the route; null when none. */
    private List<StreamEntry> entries;

    /** @param io where the read ahead runs; null: never read ahead */
    public ReadAhead(ExecutorService io, GroupConsumer consumer, long minIdleTime, int count, OutcomeQueue acks, LongSupplier clock) {
        this.io = io;
        this.consumer = consumer;
        this.key = consumer.key();
        this.minIdleTime = minIdleTime;
        this.count = count;
        this.acks = acks;
        this.clock = clock;
    }

    /**
     * Starts the acks and the next read on the I/O thread; false (nothing started) where that cannot be done. Until
     * {@link #join()} the caller must not use {@code redis}.
     */
    public boolean start(StreamCommands redis) {
        if (io == null || !redis.canPipeline()) {
            return false;
        }
        List<String> batch = acks.takeAcks();
        sentAt = clock.getAsLong();
        try {
            call = io.submit(() -> redis.ackThenReadGroup(consumer, batch, count, 0, ">"));
        } catch (RejectedExecutionException e) {
            acks.requeue(batch); // the consumer is stopping: the acks go with the next write
            return false;
        }
        sentAcks = batch;
        return true;
    }

    /** Waits for the call {@link #start} made; its entries are then {@link #take taken} by the next read. */
    public void join() {
        RedisStreamsClient.AckedRead result = null;
        boolean interrupted = false;
        try {
            while (result == null) {
                try {
                    result = call.get();
                } catch (InterruptedException e) {
                    interrupted = true; // the connection is in use until the (non-blocking) read returns
                } catch (ExecutionException e) {
                    acks.requeue(sentAcks); // XACK is idempotent: sending them again is safe
                    throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
                }
            }
        } finally {
            call = null;
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        acks.acked(result.acked());
        entries = result.entries().isEmpty() ? null : result.entries();
    }

    public boolean hasEntries() {
        return entries != null;
    }

    /**
     * The entries read ahead, minus any another consumer has claimed meanwhile: they were not held (so not kept alive)
     * while the previous batch ran, which matters only when that took a good part of {@code minIdleTime}.
     */
    public List<StreamEntry> take(StreamCommands redis) {
        List<StreamEntry> taken = entries;
        entries = null;
        if (clock.getAsLong() - sentAt < minIdleTime / 2) {
            return taken;
        }
        Set<String> ours = new HashSet<>(redis.pendingIds(consumer, taken.get(0).id(),
                taken.get(taken.size() - 1).id(), taken.size()));
        List<StreamEntry> kept = taken.stream().filter(entry -> ours.contains(entry.id())).toList();
        if (kept.size() < taken.size()) {
            LOG.info("Stream '{}' consumer '{}': {} entries read ahead were claimed by another consumer while the previous batch "
                     + "ran; not processing them here", key, consumer.name(), taken.size() - kept.size());
        }
        return kept;
    }

    /** The entries read ahead are pending in a group that is gone, or are taken up again with the rest of the pending list. */
    public void discard() {
        entries = null;
    }

    /**
     * On stop: entries read ahead and not handed to the route are made claimable by the other consumers at once, as
     * first deliveries, rather than processing another batch during shutdown.
     */
    public void giveBack(StreamCommands redis) {
        if (entries != null) {
            giveBack(redis, entries);
            entries = null;
        }
    }

    /** Entries read but not to be handed out (the consumer is stopping): claimable at once, not counted as delivered. */
    public void giveBack(StreamCommands redis, List<StreamEntry> notHandedOut) {
        List<String> ids = notHandedOut.stream().map(StreamEntry::id).toList();
        redis.release(consumer, ids, minIdleTime);
        LOG.debug("Stream '{}' consumer '{}' released {} entries read but not handed out", key, consumer.name(), ids.size());
    }
}
