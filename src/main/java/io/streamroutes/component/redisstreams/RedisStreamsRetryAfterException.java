package io.streamroutes.component.redisstreams;

import java.time.Duration;

/**
 * Thrown (or used as a cause) by a route when the entry should be tried again after a given delay, typically because
 * the system it calls answered "429 Too Many Requests" or "503" with {@code Retry-After}. The consumer then retries
 * the entry after {@link #getDelay()} without using up one of its {@code maxDeliveries}, and hands out no other entry
 * until the delay has passed, so that a limiting system is not called again meanwhile.
 */
public class RedisStreamsRetryAfterException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final Duration delay;

    public RedisStreamsRetryAfterException(String message, Duration delay) {
        this(message, delay, null);
    }

    public RedisStreamsRetryAfterException(String message, Duration delay, Throwable cause) {
        super(message, cause);
        if (delay == null || delay.isNegative()) {
            throw new IllegalArgumentException("delay must be zero or positive, was " + delay);
        }
        this.delay = delay;
    }

    /** How long to wait before the entry is tried again, and before the consumer hands out new entries. */
    public Duration getDelay() {
        return delay;
    }
}
