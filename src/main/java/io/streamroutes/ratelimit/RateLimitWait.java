package io.streamroutes.ratelimit;

import java.time.Duration;
import java.util.function.LongSupplier;

import io.streamroutes.component.redisstreams.RedisStreamsRetryAfterException;

/**
 * Turns the limit's answer into what the calling exchange does: go now, wait in-process for its reserved slot (no
 * delivery of the entry is used up by waiting), or, when no slot was reserved because the wait is too long, throw
 * {@link RedisStreamsRetryAfterException} so that the consumer retries the entry after that wait and pauses new ones.
 */
final class RateLimitWait {

    /** Sleeps about the given time; may return early (the caller checks the clock). */
    @FunctionalInterface
    interface Sleeper {
        void sleepNanos(long nanos) throws InterruptedException;
    }

    private final LongSupplier nanoClock;
    private final Sleeper sleeper;

    RateLimitWait(LongSupplier nanoClock, Sleeper sleeper) {
        this.nanoClock = nanoClock;
        this.sleeper = sleeper;
    }

    /** The real clock and {@link Thread#sleep}. */
    static RateLimitWait system() {
        return new RateLimitWait(System::nanoTime, nanos -> Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000)));
    }

    /**
     * Returns when the reserved slot has come, with the slot's time on the nano clock; throws when none was reserved or
     * the thread is interrupted.
     */
    long await(String limit, RateLimitAnswer answer) {
        Duration wait = Duration.ofNanos(answer.waitMicros() * 1000);
        if (!answer.reserved()) {
            throw new RedisStreamsRetryAfterException("rate limit " + limit + ": the next free slot is " + wait.toMillis()
                                                      + " ms away, longer than a task waits; retry after that", wait);
        }
        long until = nanoClock.getAsLong() + wait.toNanos();
        for (long left = wait.toNanos(); left > 0; left = until - nanoClock.getAsLong()) {
            try {
                sleeper.sleepNanos(left);
            } catch (InterruptedException e) {
                // stopping: the call is not made, the entry stays pending and is retried without having been charged
                Thread.currentThread().interrupt();
                long remaining = Math.max(0, until - nanoClock.getAsLong());
                throw new RedisStreamsRetryAfterException("rate limit " + limit + ": interrupted while waiting for a slot",
                        Duration.ofNanos(remaining), e);
            }
        }
        return until;
    }

    /**
     * Whether a call reaching the wire now has missed its slot (at {@code slotNanos}) by more than one interval. Such a
     * call would meet the call of the next slot at the provider (two calls where the limit allows one, and a burst
     * when several calls were held up together, e.g. behind a cold start), so its slot is given up and a new one
     * taken.
     */
    boolean missed(long slotNanos, long intervalNanos) {
        return nanoClock.getAsLong() - slotNanos > intervalNanos;
    }
}
