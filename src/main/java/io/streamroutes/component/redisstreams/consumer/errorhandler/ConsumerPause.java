package io.streamroutes.component.redisstreams.consumer.errorhandler;

/**
 * A pause of a consumer endpoint asked for by a route (a {@link RedisStreamsRetryAfterException}): until it ends no
 * reading thread hands out entries, so the system that asked us to wait is not called meanwhile. A later, longer
 * pause extends it; a shorter one does not shorten it. Thread-safe.
 */
public final class ConsumerPause {

    /** Volatile: read by every hand-out, without taking the lock. */
    private volatile long untilMillis;
    private String reason;
    /** Why writes wait for replicas, from a pause for them until an exchange completes (readiness DOWN meanwhile). */
    private volatile String replicasMissing;

    synchronized void pauseUntil(long untilMillis, String reason) {
        pauseUntil(untilMillis, reason, false);
    }

    public synchronized void pauseUntil(long untilMillis, String reason, boolean forReplicas) {
        if (forReplicas) {
            replicasMissing = reason;
        }
        if (untilMillis > this.untilMillis) {
            this.untilMillis = untilMillis;
            this.reason = reason;
        }
    }

    /** An exchange completed: the replicas confirm again (or its route writes nothing that waits for them). */
    public void replicasConfirmed() {
        if (replicasMissing != null) {
            replicasMissing = null;
        }
    }

    /** Why the consumer waits for replicas, or null when it does not. */
    public String replicasMissing() {
        return replicasMissing;
    }

    /** Milliseconds the pause still lasts at {@code nowMillis}; 0 when none is in force. */
    public long remainingMillis(long nowMillis) {
        return Math.max(0, untilMillis - nowMillis);
    }

    /** When the pause ends (epoch ms); 0 when there never was one. */
    public long untilMillis() {
        return untilMillis;
    }

    /** Why the consumer is paused at {@code nowMillis}, or null when it is not. */
    public synchronized String reason(long nowMillis) {
        return nowMillis < untilMillis ? reason : null;
    }
}
