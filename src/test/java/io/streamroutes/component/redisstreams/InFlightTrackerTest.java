package io.streamroutes.component.redisstreams;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The in-flight window and the hold times the keep-alive reads, on a clock the test moves. */
class InFlightTrackerTest {

    private final AtomicLong clock = new AtomicLong(1_000_000);
    private final InFlightTracker tracker = new InFlightTracker(2, clock::get);

    @Test
    void theWindowBoundsWhatIsHandedOut() throws InterruptedException {
        tracker.handOut("1-0");
        tracker.handOut("2-0");
        assertEquals(0, tracker.room());
        assertFalse(tracker.isIdle());

        long before = System.nanoTime();
        tracker.awaitRoom(20);
        assertTrue(System.nanoTime() - before >= 15_000_000L, "waited for a place");

        tracker.finished("1-0");
        assertEquals(1, tracker.room());
        assertFalse(tracker.isHeld("1-0"));
        assertTrue(tracker.isHeld("2-0"));
    }

    @Test
    void anEntryHeldWhileWaitingForItsTurnKeepsTheTimeItWasRead() {
        StreamEntry first = new StreamEntry("1-0", List.of());
        StreamEntry second = new StreamEntry("2-0", List.of());
        tracker.hold(List.of(first, second));
        assertEquals(2, tracker.held());
        assertEquals(2, tracker.room(), "held entries take a place only when handed out");

        clock.addAndGet(30_000);
        tracker.handOut("2-0");
        tracker.handOut("3-0");

        assertEquals(List.of("1-0", "2-0"), tracker.heldLongerThan(30_000).stream().sorted().toList());
        assertEquals(List.of(), tracker.heldLongerThan(30_001));
        clock.addAndGet(1);
        assertEquals(List.of("1-0", "2-0"), tracker.heldLongerThan(30_001).stream().sorted().toList());
        assertEquals(List.of("1-0", "2-0", "3-0"), tracker.heldLongerThan(1).stream().sorted().toList());
    }

    @Test
    void aStopWaitsForTheWindowToEmptyOrForTheDeadline() throws InterruptedException {
        assertTrue(tracker.awaitAllFinished(clock.get(), 1), "nothing in flight");

        tracker.handOut("1-0");
        Thread finisher = new Thread(() -> tracker.finished("1-0"));
        finisher.start();
        assertTrue(tracker.awaitAllFinished(clock.get() + 1, 10_000));
        finisher.join();

        tracker.handOut("2-0");
        assertFalse(tracker.awaitAllFinished(clock.get(), 1), "the deadline has passed");
    }
}
