package io.streamroutes.component.redisstreams;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of one consumer endpoint, shared by its reading threads and read by monitoring.
 */
public final class RedisStreamsStatistics {

    private final LongAdder delivered = new LongAdder();
    private final LongAdder acked = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder claimed = new LongAdder();
    private final LongAdder deadLettered = new LongAdder();
    private volatile String lastError;

    public void delivered() {
        delivered.increment();
    }

    /** {@code n} entries handed out together (one batch). */
    public void delivered(long n) {
        delivered.add(n);
    }

    public void acked(long n) {
        acked.add(n);
    }

    public void failed(String error) {
        failed.increment();
        lastError = error;
    }

    public void claimed(long n) {
        claimed.add(n);
    }

    public void deadLettered() {
        deadLettered.increment();
    }

    public long getDelivered() {
        return delivered.sum();
    }

    public long getAcked() {
        return acked.sum();
    }

    public long getFailed() {
        return failed.sum();
    }

    public long getClaimed() {
        return claimed.sum();
    }

    public long getDeadLettered() {
        return deadLettered.sum();
    }

    public String getLastError() {
        return lastError;
    }
}
