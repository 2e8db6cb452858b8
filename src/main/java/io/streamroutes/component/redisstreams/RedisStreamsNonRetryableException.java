package io.streamroutes.component.redisstreams;

/**
 * Thrown (or used as a cause) by a route when an entry can never be processed successfully. The consumer then
 * dead-letters the entry at once instead of leaving it pending for another delivery.
 */
public class RedisStreamsNonRetryableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public RedisStreamsNonRetryableException(String message) {
        super(message);
    }

    public RedisStreamsNonRetryableException(String message, Throwable cause) {
        super(message, cause);
    }
}
