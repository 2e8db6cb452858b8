package io.streamroutes.component.redisstreams;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The entries a reader holds, with the time it took each: handed to the route and not yet finished (each taking one
 * place of a window of {@code capacity}), or read and waiting for their turn in the current batch. A pending re-read
 * or a claim does not deliver a held entry twice, and the keep-alive refreshes those held long, so that no other
 * consumer claims an entry that merely waits behind a slow one. Thread-safe: exchanges finish on other threads.
 */
final class InFlightTracker {

    private final int capacity;
    private final Semaphore places;
    private final Map<String, Long> heldSince = new ConcurrentHashMap<>();
    private final LongSupplier clock;

    InFlightTracker(int capacity, LongSupplier clock) {
        this.capacity = capacity;
        this.places = new Semaphore(capacity);
        this.clock = clock;
    }

    int capacity() {
        return capacity;
    }

    /** Free places of the window. */
    int room() {
        return places.availablePermits();
    }

    boolean isIdle() {
        return places.availablePermits() == capacity;
    }

    /** Entries read and waiting for their turn: held (kept alive, not claimed twice) before they take a place. */
    void hold(Collection<StreamEntry> entries) {
        Long now = clock.getAsLong();
        for (StreamEntry entry : entries) {
            heldSince.put(entry.id(), now);
        }
    }

    /** Takes a place for the entry (waiting for one if needed); an entry already held keeps the time it was read. */
    void handOut(String id) {
        places.acquireUninterruptibly();
        heldSince.putIfAbsent(id, clock.getAsLong());
    }

    /** The entry's exchange finished, or it was not processed after all: its place is free again. */
    void finished(String id) {
        heldSince.remove(id);
        places.release();
    }

    boolean isHeld(String id) {
        return heldSince.containsKey(id);
    }

    int held() {
        return heldSince.size();
    }

    /** Ids of the entries held for at least {@code minAgeMs}. */
    List<String> heldLongerThan(long minAgeMs) {
        long cutoff = clock.getAsLong() - minAgeMs;
        List<String> ids = new ArrayList<>();
        heldSince.forEach((id, since) -> {
            if (since <= cutoff) {
                ids.add(id);
            }
        });
        return ids;
    }

    /** Waits up to {@code maxWaitMs} for a free place without taking it. */
    void awaitRoom(long maxWaitMs) throws InterruptedException {
        if (places.tryAcquire(maxWaitMs, TimeUnit.MILLISECONDS)) {
            places.release();
        }
    }

    /** Waits until every place is free or the clock reaches {@code deadlineMillis}; true when all are free. */
    boolean awaitAllFinished(long deadlineMillis, long stepMs) throws InterruptedException {
        while (!isIdle() && clock.getAsLong() < deadlineMillis) {
            if (places.tryAcquire(capacity, stepMs, TimeUnit.MILLISECONDS)) {
                places.release(capacity);
                return true;
            }
        }
        return isIdle();
    }
}
