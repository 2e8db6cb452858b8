package io.streamroutes.http;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RetryAfterTest {

    private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");

    @Test
    void secondsAndHttpDates() {
        assertEquals(Duration.ofSeconds(2), RetryAfter.parse("2", NOW));
        assertEquals(Duration.ofSeconds(2), RetryAfter.parse(" 2 ", NOW));
        assertEquals(Duration.ofSeconds(90), RetryAfter.parse("Mon, 30 Nov 2026 12:01:30 GMT", NOW));
        assertEquals(Duration.ZERO, RetryAfter.parse("Mon, 30 Nov 2026 11:59:00 GMT", NOW), "a date in the past: at once");
        assertEquals(Duration.ZERO, RetryAfter.parse("0", NOW));
    }

    @Test
    void missingOrUnreadableGivesTheDefaultAndHugeWaitsAreCut() {
        assertEquals(RetryAfter.DEFAULT, RetryAfter.parse(null, NOW));
        assertEquals(RetryAfter.DEFAULT, RetryAfter.parse("", NOW));
        assertEquals(RetryAfter.DEFAULT, RetryAfter.parse("soon", NOW));
        assertEquals(RetryAfter.DEFAULT, RetryAfter.parse("-5", NOW));
        assertEquals(RetryAfter.MAXIMUM, RetryAfter.parse("86400", NOW));
        assertEquals(RetryAfter.MAXIMUM, RetryAfter.parse("99999999999999999999", NOW));
    }

    @Test
    void tooManyRequestsAndUnavailableAskToWaitOtherErrorsDoNot() {
        assertTrue(HttpFailures.asksToWait(429));
        assertTrue(HttpFailures.asksToWait(503));
        assertFalse(HttpFailures.asksToWait(500));
        assertTrue(HttpFailures.isTransient(500));
        assertFalse(HttpFailures.isTransient(404));
    }
}
