package io.streamroutes.component.redisstreams.consumer;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Health of a reading thread: one report per change of the kind of problem, since when, and recovery. */
class ReaderHealthTest {

    private final AtomicLong clock = new AtomicLong(5_000);
    private final List<String> reports = new ArrayList<>();
    private final ReaderHealth health = new ReaderHealth("Stream 's' consumer 'c'", clock::get, (message, e) -> reports.add(message));

    @Test
    void notHealthyUntilTheFirstRead() {
        assertFalse(health.isHealthy());
        assertEquals("waiting for the first successful read from Redis", health.getProblem());
        health.readSucceeded();
        assertTrue(health.isHealthy());
        assertNull(health.getProblem());
    }

    @Test
    void aProblemIsReportedOncePerChangeOfKindAndDatesFromItsStart() {
        health.readSucceeded();
        Exception refused = new IllegalStateException("refused");

        assertTrue(health.failed("CONNECTION", "Redis unreachable: refused", refused, 5000));
        clock.addAndGet(1000);
        assertFalse(health.failed("CONNECTION", "Redis unreachable: refused", new IllegalStateException("again"), 5000));
        assertEquals(List.of("Stream 's' consumer 'c': Redis unreachable: refused"), reports);

        clock.addAndGet(1000);
        Exception auth = new IllegalStateException("WRONGPASS");
        assertTrue(health.failed("AUTH", "Redis rejected the credentials", auth, 30000));
        assertEquals(2, reports.size());
        assertEquals(5_000, health.getProblemSince(), "the outage started with the first problem");
        assertSame(auth, health.getLastError());
        assertFalse(health.isHealthy());
        assertEquals("Redis rejected the credentials", health.getProblem());
    }

    @Test
    void aRoundThatGoesThroughEndsTheProblem() {
        health.readSucceeded();
        health.failed("NOGROUP", "group gone", new IllegalStateException(), 5000);
        health.recovered();

        assertTrue(health.isHealthy());
        assertNull(health.getLastError());
        clock.addAndGet(60_000);
        assertTrue(health.failed("NOGROUP", "group gone", new IllegalStateException(), 5000), "a new outage is reported again");
        assertEquals(65_000, health.getProblemSince());
        assertEquals(2, reports.size());
    }
}
