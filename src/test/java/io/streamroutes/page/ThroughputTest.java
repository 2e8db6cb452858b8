package io.streamroutes.page;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ThroughputTest {

    private Instant now = Instant.parse("2026-11-30T12:00:00Z");
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };

    @Test
    void rateOverTheWindow() {
        Throughput t = new Throughput(clock, 60_000);
        assertEquals(-1, t.sample("s", 100), "one sample is no rate");
        now = now.plus(Duration.ofSeconds(5));
        assertEquals(10.0, t.sample("s", 150), 1e-9);
        now = now.plus(Duration.ofSeconds(5));
        assertEquals(5.0, t.sample("s", 150), 1e-9, "over the 10 s since the first sample");
        now = now.plus(Duration.ofSeconds(120));
        assertEquals(0.0, t.sample("s", 150), 1e-9, "older samples leave the window");
        now = now.plus(Duration.ofSeconds(2));
        assertEquals(-1, t.sample("s", 3), "a counter that went back (route restarted) starts again");
        now = now.plus(Duration.ofSeconds(2));
        assertEquals(2.0, t.sample("s", 7), 1e-9);
    }
}
