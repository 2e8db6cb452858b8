package io.streamroutes.http;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * How long an HTTP server asked us to wait, from its {@code Retry-After} header (RFC 9110: a number of seconds or an
 * HTTP date). A missing or unreadable header gives {@link #DEFAULT}; a very long wait is cut to {@link #MAXIMUM}, so
 * one answer cannot stop a consumer for hours.
 */
public final class RetryAfter {

    /** The wait when a 429 or 503 carries no usable Retry-After. */
    public static final Duration DEFAULT = Duration.ofSeconds(5);
    /** The longest wait honoured. */
    public static final Duration MAXIMUM = Duration.ofMinutes(10);

    private RetryAfter() {
    }

    /** The wait asked for by {@code header} (may be null), as seen at {@code now}. */
    public static Duration parse(String header, Instant now) {
        if (header == null || header.isBlank()) {
            return DEFAULT;
        }
        String value = header.strip();
        Duration wait;
        if (value.chars().allMatch(Character::isDigit)) {
            wait = value.length() > 9 ? MAXIMUM : Duration.ofSeconds(Long.parseLong(value));
        } else {
            try {
                Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                wait = Duration.between(now, at);
            } catch (DateTimeParseException e) {
                return DEFAULT;
            }
        }
        if (wait.isNegative()) {
            return Duration.ZERO;
        }
        return wait.compareTo(MAXIMUM) > 0 ? MAXIMUM : wait;
    }
}
