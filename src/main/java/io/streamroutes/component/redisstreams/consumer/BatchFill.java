package io.streamroutes.component.redisstreams.consumer;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

import io.streamroutes.component.redisstreams.RedisStreamsConfiguration;
import io.streamroutes.component.redisstreams.client.StreamEntry;

/**
 * The {@code batchingInterval} of a batching consumer: a read that returned some entries but fewer than wanted is
 * followed by more reads, each blocking for what is left of the interval, until the batch is full, the interval is
 * over or the consumer stops handing out. A later read that fails ends the filling with what was read so far (those
 * entries are delivered; the failure shows again at the next read).
 */
final class BatchFill {

    /** One more read of up to {@code count} entries, waiting up to {@code blockMs}. */
    @FunctionalInterface
    interface Read {
        List<StreamEntry> next(int count, long blockMs);
    }

    private final int count;
    private final long intervalMs;
    private final LongSupplier clock;

    /** @param intervalMs 0: every read is handed out as it is */
    BatchFill(int count, long intervalMs, LongSupplier clock) {
        this.count = count;
        this.intervalMs = intervalMs;
        this.clock = clock;
    }

    static BatchFill of(RedisStreamsConfiguration config, LongSupplier clock) {
        return new BatchFill(config.getCount(), config.isBatching() ? config.getBatchingInterval() : 0, clock);
    }

    /** The most entries one read asks for ({@code count}). */
    int count() {
        return count;
    }

    /** {@code first} topped up to {@code want} entries by more reads within the interval. */
    List<StreamEntry> fill(List<StreamEntry> first, int want, BooleanSupplier stop, Read more) {
        if (intervalMs <= 0 || first.isEmpty() || first.size() >= want) {
            return first;
        }
        long deadline = clock.getAsLong() + intervalMs;
        List<StreamEntry> batch = new ArrayList<>(want);
        batch.addAll(first);
        long left;
        while (batch.size() < want && !stop.getAsBoolean() && (left = deadline - clock.getAsLong()) > 0) {
            try {
                batch.addAll(more.next(want - batch.size(), left));
            } catch (RuntimeException e) {
                break;
            }
        }
        return batch;
    }
}
