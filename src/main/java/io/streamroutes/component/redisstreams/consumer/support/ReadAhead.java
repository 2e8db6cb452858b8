package io.streamroutes.component.redisstreams.consumer.support;

import java.util.ArrayDeque;
import java.util.Deque;
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
import io.streamroutes.component.redisstreams.client.RedisErrors;
import io.streamroutes.component.redisstreams.client.RedisStreamsClient;
import io.streamroutes.component.redisstreams.client.StreamCommands;
import io.streamroutes.component.redisstreams.client.StreamEntry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reading ahead, a step apart from the reading loop: before the reading thread dispatches a batch, it acks the
 * finished entries (waiting for the reply) and sends the next non-blocking XREADGROUP without waiting; an I/O thread
 * (from Camel's ExecutorServiceManager) receives the read's reply, so Redis serves the next read while the route
 * works. When a full read comes back while the reading thread already waits for it with
 * none of its entries running (the route is faster than Redis), the I/O thread follows: it sends the next read as soon
 * as the reading thread waits so again, with the acks shared by then, and before it reads the reply in flight, so
 * Redis works on one read while the other is parsed and handed over. Otherwise it stops, and the reading thread starts
 * it again with its next full batch. A read goes out only while the reading thread runs nothing or with its batch,
 * so at most one batch is delivered beyond the route's. The reading thread {@link #join joins} before it touches the
 * connection itself, so the connection is used by one thread at a time and its replies stay in step, through the
 * client's public API. Where the connection cannot pipeline (Redis Cluster) there is no reading ahead.
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
    /** Guards the waits of both threads for each other. */
    private final Object readyOrEnded = new Object();
    /** The I/O thread's run of reads; set and cleared by the reading thread only. */
    private Future<?> chain;
    private volatile boolean running;
    private volatile boolean stopAsked;
    /** The reading thread waits in {@link #awaitEntries} for the read in flight. */
    private volatile boolean readerWaiting;
    /** ... and none of its entries runs. */
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
     * Reads ahead after the queued acks: acks them on the calling thread (waiting for the reply), sends the read, and
     * has the I/O thread receive its reply (and follow), unless it runs already or a read waits untaken; false where
     * that cannot be done (nothing runs, nothing was sent). A failure is thrown by the next {@link #join()}. Until
     * {@link #join()} the caller must not use {@code redis}.
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
        if (io == null || io.isShutdown() || !redis.canPipeline()) {
            return false; // a stopping consumer: the acks go with the next write
        }
        // the acks of the entries the route has finished are confirmed here, before the caller hands the route its next
        // batch, so a crash repeats no more than one batch's entries. They go alone: Redis writes a client's replies
        // only once it has run every command that arrived with them, so an XACK sent with the read would be confirmed
        // only after the read, and the route would wait for it instead of working while Redis reads
        try {
            acks.ackQueued(redis);
        } catch (RuntimeException e) {
            keepFirst(e); // the acks stay queued
            if (RedisErrors.isConnectionFailure(e)) {
                return true; // the failure is thrown by the next join
            }
            // Redis refused the XACK: the read goes out all the same
        }
        Deque<Sent> sent = new ArrayDeque<>(1);
        if (!send(redis, sent, List.of())) {
            return true; // the failure is thrown by the next join
        }
        Sent first = sent.poll();
        stopAsked = false;
        running = true;
        try {
            chain = io.submit(() -> readAhead(redis, first));
        } catch (RejectedExecutionException e) {
            // the pool stopped meanwhile: the reply is received here (the reading thread does not wait, so this run
            // follows no further), and the connection stays in step
            readAhead(redis, first);
        }
        return true;
    }

    /** True while the I/O thread reads ahead. */
    public boolean isRunning() {
        return chain != null && running;
    }

    /** A read sent and not yet received: its acks (given back if it fails), whether it carried an XACK, when it was sent. */
    private record Sent(List<String> acks, boolean withAck, long at) {
    }

    /**
     * On the I/O thread: receives the reads sent, oldest first. While they come back full to a reading thread that waits
     * for them with none of its entries running (the route is faster than Redis), it sends the next read as soon as
     * the reading thread waits so again, before it reads the reply in flight: Redis then works on that read while the
     * reply is parsed and handed over. Otherwise it sends no more and returns once every read sent is received. Reads
     * go out only while the reading thread runs nothing, so what is delivered is at most the route's batch plus one read.
     */
    private void readAhead(StreamCommands redis, Sent first) {
        Deque<Sent> sent = new ArrayDeque<>(2);
        sent.add(first);
        try {
            boolean following = false;
            while (!sent.isEmpty()) {
                if (following && readerWaitsWithWindowFree() && !send(redis, sent, acks.takeSharedAcks())) {
                    return;
                }
                Sent oldest = sent.poll();
                RedisStreamsClient.AckedRead result;
                try {
                    result = redis.receiveAckedRead(oldest.withAck());
                } catch (RuntimeException e) {
                    acks.requeue(oldest.acks()); // XACK is idempotent: sending them again is safe
                    if (RedisErrors.isConnectionFailure(e)) {
                        connectionLost(sent, e);
                        return;
                    }
                    keepFirst(e);
                    following = false;
                    continue; // Redis answered with an error: the reply of the read after it still comes
                }
                acks.acked(result.acked());
                following = failure == null && readerWaitsIdle && ready.isEmpty() && result.entries().size() == count
                            && !stopAsked;
                if (!result.entries().isEmpty()) {
                    ready.add(new Read(oldest.at(), result.entries()));
                    wakeWaiting();
                }
                if (following && sent.isEmpty() && !send(redis, sent, acks.takeSharedAcks())) {
                    return;
                }
            }
        } finally {
            running = false;
            wakeWaiting();
        }
    }

    /**
     * Waits until the reading thread waits for entries or stops the read-ahead; true when it waits with none of its
     * entries running and has taken every read (the next read may go out: the route's entries are all acked by then).
     */
    private boolean readerWaitsWithWindowFree() {
        synchronized (readyOrEnded) {
            try {
                while (!stopAsked && !(readerWaiting && ready.isEmpty())) {
                    readyOrEnded.wait();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            return !stopAsked && readerWaitsIdle; // not stopped, so the loop left with every read taken
        }
    }

    /** False when the connection failed: the failure is kept, and the acks of every read not received go back. */
    private boolean send(StreamCommands redis, Deque<Sent> sent, List<String> batch) {
        long at = clock.getAsLong();
        try {
            sent.add(new Sent(batch, redis.sendAckThenReadGroup(consumer, batch, count), at));
            return true;
        } catch (RuntimeException e) {
            acks.requeue(batch);
            connectionLost(sent, e);
            return false;
        }
    }

    /** The replies of the reads still sent are lost with the connection: their acks go back, to be sent again. */
    private void connectionLost(Deque<Sent> sent, RuntimeException e) {
        sent.forEach(lost -> acks.requeue(lost.acks()));
        sent.clear();
        keepFirst(e);
    }

    /** The failure the reading thread's next {@link #join} throws: the first of this run. */
    private void keepFirst(RuntimeException e) {
        if (failure == null) {
            failure = e;
        }
    }

    /** Wakes the reading thread waiting for entries, and the I/O thread waiting for the reading thread. */
    private void wakeWaiting() {
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
        wakeWaiting();
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
            readerWaiting = true;
            readyOrEnded.notifyAll(); // the I/O thread may wait for this before it reads the reply in flight
            try {
                while (ready.isEmpty() && running) {
                    readyOrEnded.wait();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                readerWaiting = false;
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
