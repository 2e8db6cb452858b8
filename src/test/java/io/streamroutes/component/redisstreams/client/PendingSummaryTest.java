package io.streamroutes.component.redisstreams.client;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The oldest pending entry's age from XPENDING's summary, at a given time: no server. */
class PendingSummaryTest {

    static List<?> reply(long count, String smallest, String greatest) {
        return Arrays.asList(count, smallest == null ? null : smallest.getBytes(), greatest == null ? null : greatest.getBytes(), null);
    }

    @Test
    void ageIsNowMinusTheTimeInTheOldestId() {
        PendingSummary summary = PendingSummary.of(reply(3, "1700000000000-4", "1700000090000-0"));
        assertEquals(3, summary.count());
        assertEquals("1700000000000-4", summary.oldestId());
        assertEquals(0, summary.oldestAgeMillis(1_700_000_000_000L));
        assertEquals(125_000, summary.oldestAgeMillis(1_700_000_125_000L));
        assertEquals(3_600_000, summary.oldestAgeMillis(1_700_003_600_000L), "grows with the clock, whatever the deliveries");
    }

    @Test
    void zeroWhenNothingIsPending() {
        PendingSummary none = PendingSummary.of(reply(0, null, null));
        assertEquals(0, none.count());
        assertNull(none.oldestId());
        assertEquals(0, none.oldestAgeMillis(1_700_000_125_000L));
    }

    @Test
    void neverBelowZero() {
        // an id ahead of this process's clock (clocks apart, or an explicit id): 0, not a negative age
        assertEquals(0, PendingSummary.of(reply(1, "1700000005000-0", "1700000005000-0")).oldestAgeMillis(1_700_000_000_000L));
    }
}
