package io.streamroutes.component.redisstreams;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Date;

import org.apache.camel.util.TimeUtils;

/**
 * When an entry a producer adds is to be handed to consumers, from the headers {@link RedisStreamsConstants#DELIVER_AT}
 * (epoch milliseconds or an ISO-8601 instant) and {@link RedisStreamsConstants#DELAY} (a duration such as {@code 30s},
 * {@code 15m}, {@code PT1H} or milliseconds). A pure function of the header values and the time.
 */
final class DeliveryTime {

    /** Neither header set: the entry is added at once. */
    static final long NOW = -1;

    private DeliveryTime() {
    }

    /**
     * The due time in epoch ms, or {@link #NOW} when neither header is set or the time has come already.
     *
     * @throws IllegalArgumentException when a value cannot be read, a delay is negative, or both headers are set
     */
    static long dueAtMillis(Object deliverAt, Object delay, long nowMillis) {
        if (deliverAt != null && delay != null) {
            throw new IllegalArgumentException("set either " + RedisStreamsConstants.DELIVER_AT + " or " + RedisStreamsConstants.DELAY
                                               + ", not both");
        }
        long due = deliverAt != null ? instantMillis(deliverAt) : delay != null ? nowMillis + delayMillis(delay) : NOW;
        return due > nowMillis ? due : NOW;
    }

    private static long instantMillis(Object value) {
        if (value instanceof Number n) {
            return n.longValue();
        } else if (value instanceof Instant i) {
            return i.toEpochMilli();
        } else if (value instanceof Date d) {
            return d.getTime();
        }
        String text = value.toString().strip();
        try {
            return text.chars().allMatch(Character::isDigit) && !text.isEmpty() ? Long.parseLong(text) : Instant.parse(text).toEpochMilli();
        } catch (NumberFormatException | DateTimeParseException e) {
            throw new IllegalArgumentException(RedisStreamsConstants.DELIVER_AT + " must be epoch milliseconds or an ISO-8601 instant "
                                               + "such as 2026-12-01T10:00:00Z, was '" + text + "'", e);
        }
    }

    private static long delayMillis(Object value) {
        long millis;
        if (value instanceof Number n) {
            millis = n.longValue();
        } else if (value instanceof Duration d) {
            millis = d.toMillis();
        } else {
            String text = value.toString().strip();
            try {
                millis = text.toUpperCase().startsWith("P") ? Duration.parse(text).toMillis() : TimeUtils.toMilliSeconds(text);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(RedisStreamsConstants.DELAY + " must be a duration such as 30s, 15m, 1h or "
                                                   + "milliseconds, was '" + text + "'", e);
            }
        }
        if (millis < 0) {
            throw new IllegalArgumentException(RedisStreamsConstants.DELAY + " must not be negative, was " + value);
        }
        return millis;
    }
}
