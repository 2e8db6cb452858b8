package io.streamroutes.component.redisstreams;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** A reading is shared for a short time, then read again: an injected clock, no server. */
class RecentReadingTest {

    @Test
    void oneReadingPerPeriod() {
        AtomicLong now = new AtomicLong(10_000);
        AtomicInteger reads = new AtomicInteger();
        RecentReading<Integer> reading = new RecentReading<>(reads::incrementAndGet, 1000, now::get);
        assertEquals(1, reading.get());
        now.addAndGet(999);
        assertEquals(1, reading.get(), "kept within the period");
        now.addAndGet(1);
        assertEquals(2, reading.get(), "read again once the period is over");
        now.addAndGet(-5000);
        assertEquals(3, reading.get(), "a clock set back reads again");
    }

    @Test
    void aFailedReadingIsNotKept() {
        AtomicInteger reads = new AtomicInteger();
        RecentReading<Integer> reading = new RecentReading<>(() -> {
            if (reads.incrementAndGet() == 1) {
                throw new IllegalStateException("Redis unreachable");
            }
            return reads.get();
        }, 1000, () -> 0L);
        assertThrows(IllegalStateException.class, reading::get);
        assertEquals(2, reading.get());
    }
}
