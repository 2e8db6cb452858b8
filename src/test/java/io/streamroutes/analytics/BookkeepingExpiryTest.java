package io.streamroutes.analytics;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class BookkeepingExpiryTest {

    private static final long DAY = 86_400_000;

    @Test
    void aDayBeingCountedNowExpiresRetentionAfterItsEnd() {
        long now = Instant.parse("2026-11-30T10:00:00Z").toEpochMilli();
        assertEquals(Instant.parse("2026-12-08T00:00:00Z").toEpochMilli(), BookkeepingExpiry.expireAt("2026-11-30", now, 7 * DAY));
    }

    @Test
    void anOldDayCountedNowIsKeptRetentionFromNow() {
        long now = Instant.parse("2026-11-30T10:00:00Z").toEpochMilli();
        assertEquals(now + 3_600_000, BookkeepingExpiry.expireAt("2020-01-01", now, 3_600_000));
    }
}
