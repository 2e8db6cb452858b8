package io.streamroutes.component.redisstreams.consumer.support;

import java.util.HashSet;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
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
 * Reading ahead, a step apart from the reading loop: while the reading thread dispatches, an I/O thread (from Camel's
 * ExecutorServiceManager) sends the acks of finished entries and the next non-blocking XREADGROUP in one round trip, so
 * Redis serves the next read meanwhile. When a full read comes back while the reading thread already waits for it with
 * none of its entries running (the route is faster than Redis), the I/O thread sends the next read at once, with the
 * acks shared by then, so Redis does not idle while the reply changes threads; otherwise it stops and the reading
 * thread starts it again with its next full batch. Either way one read at a time, so at most one batch is delivered
 * beyond the route's. The reading thread {@link #join joins} before it touches the connection itself, so the
 * connection is used by one thread at a time, through the client's public API. Where the connection cannot pipeline
 * (Redis Cluster) there is no reading ahead.
 */
public final class ReadAhead {

    private static final Logger LOG = LoggerFactory.getLogger(ReadAhead.class);

    private record Read(long sentAt, List<StreamEntry> entries) {
    }

    private final ExecutorService io;
    private final GroupConsumer consumer;
    private final String key;
    /** Read-ahead entries older than half of this when taken are checked for a take-over first. */
    private final long minIdleTime;
    private final int count;
    private final OutcomeQueue acks;
    private final LongSupplier clock;
    /** Reads come back in order; filled by the I/O thread, taken by the reading thread. */
    private final Queue<Read> ready = new ConcurrentLinkedQueue<>();
    private final Object readyOrEnded = new Object();
    /** The I/O thread's run of reads; set and cleared by the reading thread only. */
    private Future<?> chain;
    private volatile boolean running;
    private volatile boolean stopAsked;
    /** The reading thread waits in {@link #awaitEntries} for the read in flight, with none of its entries running. */
    private volatile boolean readerWaitsIdle;
    /** Why the I/O thread's last read failed; thrown to the reading thread by the next {@link #join}. */
    private volatile RuntimeException failure;

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
     * Starts reading ahead on the I/O thread with the queued acks, unless it runs already or a read waits untaken; false
     * where that cannot be done (nothing runs). Until {@link #join()} the caller must not use {@code redis}.
     */
    public boolean start(StreamCommands redis) {
        if (!ready.isEmpty()) {
            return true; // one read waits untaken already
        }
        if (chain != null) {
            if (running || failure != null) {
                return running; // a failure is thrown by the next join
            }
            stop(); // the last run ended by itself
        }
        if (io == null || !redis.canPipeline()) {
            return false;
        }
        List<String> batch = acks.takeAcks();
        stopAsked = false;
        running = true;
        try {
            chain = io.submit(() -> readAhead(redis, batch));
        } catch (RejectedExecutionException e) {
            running = false;
            acks.requeue(batch); // the consumer is stopping: the acks go with the next write
            return false;
        }
        return true;
    }

    /** True while the I/O thread reads ahead. */
    public boolean isRunning() {
        return chain != null && running;
    }

    /**
     * On the I/O thread: reads, and reads again at once while a full read comes back to a reading thread that waits for
     * it with nothing of its own running (the route is faster than Redis): Redis then does not idle while the reply
     * changes threads, and one read at a time keeps at most one batch delivered beyond the route's.
     */
    private void readAhead(StreamCommands redis, List<String> firstAcks) {
        try {
            List<String> batch = firstAcks;
            while (true) {
                long sentAt = clock.getAsLong();
                RedisStreamsClient.AckedRead result;
                try {
                    result = redis.ackThenReadGroup(consumer, batch, count, 0, ">");
                } catch (RuntimeException e) {
                    acks.requeue(batch); // XACK is idempotent: sending them again is safe
                    failure = e;
                    return;
                }
                acks.acked(result.acked());
                boolean goOn = readerWaitsIdle && ready.isEmpty() && result.entries().size() == count && !stopAsked;
                if (!result.entries().isEmpty()) {
                    ready.add(new Read(sentAt, result.entries()));
                    wakeReader();
                }
                if (!goOn) {
                    return;
                }
                batch = acks.takeSharedAcks();
            }
        } finally {
            running = false;
            wakeReader();
        }
    }

    private void wakeReader() {
        synchronized (readyOrEnded) {
            readyOrEnded.notifyAll();
        }
    }

    /**
     * Stops reading ahead and waits until the I/O thread is done with the connection; a failure of its last read is
     * thrown (once). Entries read ahead stay to be {@link #take taken}.
     */
    public void join() {
        stop();
        RuntimeException failed = failure;
        if (failed != null) {
            failure = null;
            throw failed;
        }
    }

    /**
     * Stops reading ahead without throwing, forgetting a failure of its last read: after a failed round or when
     * stopping, where the connection is reset or given up anyway. Entries read ahead stay.
     */
    public void halt() {
        stop();
        failure = null;
    }

    /** As {@link #join()}, keeping a failure for the next join. */
    private void stop() {
        if (chain == null) {
            return;
        }
        stopAsked = true;
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    chain.get();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true; // the connection is in use until the (non-blocking) read returns
                } catch (ExecutionException e) {
                    // an Error on the I/O thread (a read's RuntimeException is kept as the failure): the acks it had
                    // taken are not requeued, their entries stay pending and come back, as after a crash
                    if (failure == null) {
                        failure = new IllegalStateException("Reading ahead failed", e.getCause());
                    }
                    break;
                }
            }
        } finally {
            chain = null;
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Entries read ahead are ready, or will be once the read in flight returns: waits for it. {@code windowFree}: none
     * of the reading thread's entries runs, so a full read coming back meanwhile may be followed at once; with entries
     * still running it is not, or the entries delivered would outgrow the window plus one read.
     */
    public boolean awaitEntries(boolean windowFree) {
        if (!ready.isEmpty() || chain == null) {
            return !ready.isEmpty();
        }
        synchronized (readyOrEnded) {
            readerWaitsIdle = windowFree;
            try {
                while (ready.isEmpty() && running) {
                    readyOrEnded.wait();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                readerWaitsIdle = false;
            }
        }
        return !ready.isEmpty();
    }

    public boolean hasEntries() {
        return !ready.isEmpty();
    }

    /**
     * The entries read ahead, minus any another consumer has claimed meanwhile: they were not held (so not kept alive)
     * while the previous batch ran, which matters only when that took a good part of {@code minIdleTime}.
     */
    public List<StreamEntry> take(StreamCommands redis) {
        Read read = ready.poll();
        List<StreamEntry> taken = read.entries();
        if (clock.getAsLong() - read.sentAt() < minIdleTime / 2) {
            return taken;
        }
        stop(); // the check uses the connection
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
        stop();
        ready.clear();
    }

    /**
     * On stop: entries read ahead and not handed to the route are made claimable by the other consumers at once, as
     * first deliveries, rather than processing another batch during shutdown.
     */
    public void giveBack(StreamCommands redis) {
        stop();
        Read read;
        while ((read = ready.poll()) != null) {
            giveBack(redis, read.entries());
        }
    }

    /** Entries read but not to be handed out (the consumer is stopping): claimable at once, not counted as delivered. */
    public void giveBack(StreamCommands redis, List<StreamEntry> notHandedOut) {
        stop();
        List<String> ids = notHandedOut.stream().map(StreamEntry::id).toList();
        redis.release(consumer, ids, minIdleTime);
        LOG.debug("Stream '{}' consumer '{}' released {} entries read but not handed out", key, consumer.name(), ids.size());
    }
}
