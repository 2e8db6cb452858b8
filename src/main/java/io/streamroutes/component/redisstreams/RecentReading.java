package io.streamroutes.component.redisstreams;

import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * A figure read from Redis, kept for a short time so that the meters of one scrape share one reading (the pending
 * count and the oldest pending age come from the same XPENDING). A failed reading is not kept: the next call reads again.
 */
final class RecentReading<T> {

    private final Supplier<T> read;
    private final long keepMillis;
    private final LongSupplier clock;
    private T value;
    private long readAt;

    /** @param clock milliseconds (epoch or monotonic): only differences are used */
    RecentReading(Supplier<T> read, long keepMillis, LongSupplier clock) {
        this.read = read;
        this.keepMillis = keepMillis;
        this.clock = clock;
    }

    synchronized T get() {
        long now = clock.getAsLong();
        if (value == null || now - readAt >= keepMillis || now < readAt) { // a clock set back: read again
            value = read.get();
            readAt = now;
        }
        return value;
    }
}
