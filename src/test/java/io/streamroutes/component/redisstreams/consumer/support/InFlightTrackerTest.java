package io.streamroutes.component.redisstreams.consumer.support;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import io.streamroutes.component.redisstreams.client.StreamEntry;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The in-flight window and the hold times the keep-alive reads, on a clock the test moves. */
class InFlightTrackerTest {

    private final AtomicLong clock = new AtomicLong(1_000_000);
    private final InFlightTracker tracker = new InFlightTracker(2, clock::get);

    private static List<StreamEntry> entries(String... ids) {
        return java.util.Arrays.stream(ids).map(id -> new StreamEntry(id, List.of())).toList();
    }

    @Test
    void theWindowBoundsWhatIsHandedOut() throws InterruptedException {
        InFlightTracker.Held read = tracker.hold(entries("1-0", "2-0"));
        tracker.handOut();
        tracker.handOut();
        assertEquals(0, tracker.room());
        assertFalse(tracker.isIdle());

        long before = System.nanoTime();
        tracker.awaitRoom(20);
        assertTrue(System.nanoTime() - before >= 15_000_000L, "waited for a place");

        assertTrue(tracker.finished(read, 0));
        assertEquals(1, tracker.room());
        assertFalse(tracker.isHeld("1-0"));
        assertTrue(tracker.isHeld("2-0"));

        assertFalse(tracker.finished(read, 0), "only the first call finishes it (its exchange is released once)");
        assertEquals(1, tracker.room(), "an entry finished twice frees its place once");
        tracker.finished(read, 1);
        assertTrue(tracker.isIdle());
        assertEquals(0, tracker.held());
    }

    @Test
    void aBatchTakesAndFreesItsPlacesTogether() {
        InFlightTracker.Held batch = tracker.hold(entries("1-0", "2-0"));
        tracker.handOut(2);
        assertEquals(0, tracker.room());
        assertTrue(tracker.finished(batch, 0), "one entry of a batch may finish alone (e.g. a failed dispatch)");
        assertEquals(1, tracker.finishedAll(batch), "only the entry still held is freed");
        assertTrue(tracker.isIdle());
        assertEquals(0, tracker.finishedAll(batch), "a second call frees nothing");
        assertTrue(tracker.isIdle());
        assertEquals(0, tracker.held());
    }

    @Test
    void anEntryHeldWhileWaitingForItsTurnKeepsTheTimeItWasRead() {
        InFlightTracker.Held first = tracker.hold(entries("1-0", "2-0"));
        assertEquals(2, tracker.held());
        assertEquals(2, tracker.room(), "held entries take a place only when handed out");
        assertEquals(List.of("1-0", "2-0"), first.entries().stream().map(StreamEntry::id).toList());

        clock.addAndGet(30_000);
        tracker.handOut();
        InFlightTracker.Held second = tracker.hold(entries("3-0"));
        tracker.handOut();
        assertEquals(3, tracker.held());

        assertEquals(List.of("1-0", "2-0"), tracker.heldLongerThan(30_000).stream().sorted().toList());
        assertEquals(List.of(), tracker.heldLongerThan(30_001));
        clock.addAndGet(1);
        assertEquals(List.of("1-0", "2-0"), tracker.heldLongerThan(30_001).stream().sorted().toList());
        assertEquals(List.of("1-0", "2-0", "3-0"), tracker.heldLongerThan(1).stream().sorted().toList());

        tracker.finished(first, 1);
        tracker.finished(second, 0);
        assertEquals(List.of("1-0"), tracker.heldLongerThan(1), "finished entries are no longer kept alive");
        assertTrue(tracker.isHeld("1-0"));
        assertFalse(tracker.isHeld("2-0"));
        assertFalse(tracker.isHeld("3-0"));
    }

    @Test
    void finishedReadsAreForgotten() {
        for (int read = 0; read < 1000; read++) {
            InFlightTracker.Held held = tracker.hold(entries(read + "-0", read + "-1"));
            tracker.handOut();
            tracker.finished(held, 0);
            tracker.handOut();
            tracker.finished(held, 1);
        }
        assertEquals(0, tracker.held());
        assertTrue(tracker.isIdle());
        assertFalse(tracker.isHeld("999-1"));
        assertEquals(List.of(), tracker.heldLongerThan(0));
    }

    @Test
    void aStopWaitsForTheWindowToEmptyOrForTheDeadline() throws InterruptedException {
        assertTrue(tracker.awaitAllFinished(clock.get(), 1), "nothing in flight");

        InFlightTracker.Held held = tracker.hold(entries("1-0", "2-0"));
        tracker.handOut();
        Thread finisher = new Thread(() -> tracker.finished(held, 0));
        finisher.start();
        assertTrue(tracker.awaitAllFinished(clock.get() + 1, 10_000));
        finisher.join();

        tracker.handOut();
        assertFalse(tracker.awaitAllFinished(clock.get(), 1), "the deadline has passed");
    }
}
