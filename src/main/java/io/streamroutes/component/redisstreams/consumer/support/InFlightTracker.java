package io.streamroutes.component.redisstreams.consumer.support;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.LongSupplier;

import io.streamroutes.component.redisstreams.client.StreamEntry;

/**
 * The entries a reader holds, with the time it took them: handed to the route and not yet finished (each taking one
 * place of a window of {@code capacity}), or read and waiting for their turn in the current batch. A pending re-read
 * or a claim does not deliver a held entry twice, and the keep-alive refreshes those held long, so that no other
 * consumer claims an entry that merely waits behind a slow one. Thread-safe: exchanges finish on other threads.
 * <p>
 * Entries are held per read ({@link Held}: one time, the ids, a slot cleared when its entry finishes), so the hot path
 * costs one place taken and one slot cleared per entry; the rarer questions (is this id held, which are held long)
 * scan the few batches held.
 */
public final class InFlightTracker {

    private final int capacity;
    private final Semaphore places;
    /** Batches with entries possibly still held; added by the reading thread, dropped once all their entries finished. */
    private final Queue<Held> batches = new ConcurrentLinkedQueue<>();
    private final LongSupplier clock;

    /** The entries of one read (or one set of redeliveries), held from the same instant. */
    public static final class Held {

        private final long since;
        private final List<StreamEntry> entries;
        /** The entries' ids; a slot is cleared when its entry finished. */
        private final AtomicReferenceArray<String> ids;

        private Held(long since, List<StreamEntry> entries) {
            this.since = since;
            this.entries = entries;
            String[] taken = new String[entries.size()];
            for (int i = 0; i < taken.length; i++) {
                taken[i] = entries.get(i).id();
            }
            this.ids = new AtomicReferenceArray<>(taken); // plain writes, published with the final field
        }

        public List<StreamEntry> entries() {
            return entries;
        }

        private boolean isDone() {
            for (int i = ids.length() - 1; i >= 0; i--) {
                if (ids.get(i) != null) {
                    return false;
                }
            }
            return true;
        }
    }

    public InFlightTracker(int capacity, LongSupplier clock) {
        this.capacity = capacity;
        this.places = new Semaphore(capacity);
        this.clock = clock;
    }

    public int capacity() {
        return capacity;
    }

    /** Free places of the window. */
    public int room() {
        return places.availablePermits();
    }

    public boolean isIdle() {
        return places.availablePermits() == capacity;
    }

    /**
     * Entries read and about to be handed out one by one: held from now (kept alive, not claimed twice) before each
     * takes its place with {@link #handOut}. Called by the reading thread.
     */
    public Held hold(List<StreamEntry> entries) {
        batches.removeIf(Held::isDone);
        Held held = new Held(clock.getAsLong(), entries);
        if (!entries.isEmpty()) {
            batches.add(held);
        }
        return held;
    }

    /** Takes a place for the next entry of a held batch, waiting for one if needed. */
    public void handOut() {
        places.acquireUninterruptibly();
    }

    /** Takes {@code count} places at once (the entries of a batch, handed out together), waiting for them if needed. */
    public void handOut(int count) {
        places.acquireUninterruptibly(count);
    }

    /**
     * Entry {@code index} of {@code held}, handed out, finished its exchange, or was not processed after all: it is no
     * longer held and its place is free again. A second call for the same entry does nothing and returns false.
     */
    public boolean finished(Held held, int index) {
        if (held.ids.getAndSet(index, null) != null) {
            places.release();
            return true;
        }
        return false;
    }

    /**
     * Every entry of {@code held} finished (a batch's exchange completed): as {@link #finished} for each, freeing their
     * places at once. Returns how many were still held.
     */
    public int finishedAll(Held held) {
        int freed = 0;
        for (int i = 0; i < held.ids.length(); i++) {
            if (held.ids.getAndSet(i, null) != null) {
                freed++;
            }
        }
        if (freed > 0) {
            places.release(freed);
        }
        return freed;
    }

    public boolean isHeld(String id) {
        for (Held held : batches) {
            for (int i = 0; i < held.ids.length(); i++) {
                if (id.equals(held.ids.get(i))) {
                    return true;
                }
            }
        }
        return false;
    }

    public int held() {
        int count = 0;
        for (Held held : batches) {
            for (int i = 0; i < held.ids.length(); i++) {
                if (held.ids.get(i) != null) {
                    count++;
                }
            }
        }
        return count;
    }

    /** Ids of the entries held for at least {@code minAgeMs}. */
    public List<String> heldLongerThan(long minAgeMs) {
        long cutoff = clock.getAsLong() - minAgeMs;
        List<String> result = new ArrayList<>();
        for (Held held : batches) {
            if (held.since <= cutoff) {
                for (int i = 0; i < held.ids.length(); i++) {
                    String id = held.ids.get(i);
                    if (id != null) {
                        result.add(id);
                    }
                }
            }
        }
        return result;
    }

    /** Waits up to {@code maxWaitMs} for a free place without taking it. */
    public void awaitRoom(long maxWaitMs) throws InterruptedException {
        if (places.tryAcquire(maxWaitMs, TimeUnit.MILLISECONDS)) {
            places.release();
        }
    }

    /** Waits until every place is free or the clock reaches {@code deadlineMillis}; true when all are free. */
    public boolean awaitAllFinished(long deadlineMillis, long stepMs) throws InterruptedException {
        while (!isIdle() && clock.getAsLong() < deadlineMillis) {
            if (places.tryAcquire(capacity, stepMs, TimeUnit.MILLISECONDS)) {
                places.release(capacity);
                return true;
            }
        }
        return isIdle();
    }
}
