package io.streamroutes.component.redisstreams.consumer;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.streamroutes.component.redisstreams.client.RedisErrors;
import io.streamroutes.component.redisstreams.client.RedisStreamsClient;
import io.streamroutes.component.redisstreams.client.ScheduledEntries;
import io.streamroutes.component.redisstreams.consumer.support.ScheduledMoveTiming;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Adds the due scheduled entries of a consumer's stream to the stream ({@link ScheduledEntries#moveDue}) on its own
 * thread, when {@link ScheduledMoveTiming} says: at each entry's due time, and only a cheap {@code EXISTS} while the
 * stream has none scheduled. Every consumer of the stream runs one: the move is atomic, so each entry is added once
 * whoever moves it.
 */
public final class ScheduledEntriesMover implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(ScheduledEntriesMover.class);

    private final ReaderOwner consumer;
    private final ScheduledExecutorService executor;
    private final ScheduledMoveTiming timing;

    private ScheduledEntriesMover(ReaderOwner consumer, ScheduledExecutorService executor) {
        this.consumer = consumer;
        this.executor = executor;
        this.timing = new ScheduledMoveTiming(consumer.getClock()::millis);
    }

    /** Runs a mover on {@code executor} (a single thread, shut down with the consumer), first at once. */
    public static void start(ReaderOwner consumer, ScheduledExecutorService executor) {
        executor.execute(new ScheduledEntriesMover(consumer, executor));
    }

    @Override
    public void run() {
        try (RedisStreamsClient client = consumer.newClient()) {
            if (timing.step() == ScheduledMoveTiming.Step.CHECK) {
                timing.checked(ScheduledEntries.any(client, consumer.getStreamKey()));
            }
            if (timing.step() == ScheduledMoveTiming.Step.MOVE && timing.delayMillis() == 0) {
                ScheduledEntries.Moved moved = ScheduledEntries.moveDue(client, consumer.getStreamKey(), consumer.getConfiguration().getMaxLen());
                timing.moved(moved.count(), ScheduledEntries.MOVE_BATCH, moved.untilNextDueMillis());
            }
        } catch (RuntimeException e) {
            // the readers report Redis outages; the next run catches up
            LOG.debug("Moving due scheduled entries of stream '{}' skipped: {}", consumer.getStreamKey(), RedisErrors.describe(e));
            timing.failed();
        }
        try {
            executor.schedule(this, timing.delayMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // the consumer is stopping
        }
    }
}
