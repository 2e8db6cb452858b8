package io.streamroutes.component.redisstreams.consumer.support;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

import io.streamroutes.component.redisstreams.client.ConcurrencyLeases;

/**
 * The per-key limit ({@code concurrencyKey}, {@code maxConcurrencyPerKey}) as one reader keeps it, without Redis: the
 * leases it holds (one per admitted entry of a limited key, each a slot of the group-wide count in Redis), the entries
 * waiting for their key (still pending for this consumer; only id, key and delivery count are kept, the entry is
 * claimed again when admitted), the leases to give back, and when to ask Redis again for a key whose slots other
 * processes hold.
 * <p>
 * Entries of one key are admitted in the order they came. A finishing entry hands its lease straight to the next
 * entry waiting for the same key (no Redis round trip, so a busy key keeps its slots); a key whose slots are taken
 * elsewhere is asked for again after {@link #FIRST_RECHECK_MS}, doubling up to {@link #MAX_RECHECK_MS}, so waiting
 * never spins. Thread-safe: completions on worker threads call {@link #finished}; the reading thread does the rest.
 */
public final class PerKeyAdmission {

    /** An entry and the key it counts against; key null: not limited. */
    public record Waiting(String id, String key, long deliveryCount) {
    }

    /** An entry that may start, with its lease (null for an entry that is not limited). */
    public record Admitted(Waiting entry, String lease) {
    }

    /** What to ask Redis for: a lease per entry of {@code asked}; {@code unlimited} start without one. */
    public record Plan(List<Waiting> unlimited, List<Waiting> asked, List<String> leases) {
    }

    /** Leases to ask for, one per key whose waiting entries are due for another try. */
    public record Recheck(List<String> keys, List<String> leases) {
    }

    static final long FIRST_RECHECK_MS = 25;
    static final long MAX_RECHECK_MS = 400;
    /** Keys asked for again per recheck. */
    static final int RECHECK_KEYS = 100;

    private static final PerKeyAdmission OFF = new PerKeyAdmission(false, "", 0, () -> 0);

    private final boolean enabled;
    private final String owner;
    private final int maxWaiting;
    private final LongSupplier clock;
    private long sequence;
    private final Map<String, ArrayDeque<Waiting>> waitingByKey = new HashMap<>();
    private final Map<String, Waiting> waitingById = new HashMap<>();
    /** Per key with waiting entries: when to ask Redis again, and the wait after that. */
    private final Map<String, long[]> rechecks = new LinkedHashMap<>();
    private final ArrayDeque<Admitted> ready = new ArrayDeque<>();
    private final Set<String> readyIds = new HashSet<>();
    /** Admitted entries not finished yet (dispatched or about to be): id → lease. */
    private final Map<String, String> running = new HashMap<>();
    /** Leases this reader holds per key (running and ready entries). */
    private final Map<String, Integer> leasesByKey = new HashMap<>();
    private final List<String> releases = new ArrayList<>();

    private PerKeyAdmission(boolean enabled, String owner, int maxWaiting, LongSupplier clock) {
        this.enabled = enabled;
        this.owner = owner;
        this.maxWaiting = maxWaiting;
        this.clock = clock;
    }

    /**
     * @param owner      unique among the group's readers (the consumer name), for the lease names
     * @param maxWaiting entries kept waiting at most; once reached the reader reads nothing new
     */
    public static PerKeyAdmission of(String owner, int maxWaiting, LongSupplier clock) {
        return new PerKeyAdmission(true, owner, maxWaiting, clock);
    }

    /** No per-key limit: every call does nothing. */
    public static PerKeyAdmission off() {
        return OFF;
    }

    public boolean isEnabled() {
        return enabled;
    }

    /**
     * Sorts entries that want to start: not limited (empty key), queued behind entries of their key that already wait
     * (in order), or asked for a new lease.
     */
    public synchronized Plan plan(List<Waiting> candidates) {
        List<Waiting> unlimited = new ArrayList<>();
        List<Waiting> asked = new ArrayList<>();
        List<String> leases = new ArrayList<>();
        long now = clock.getAsLong();
        for (Waiting entry : candidates) {
            if (entry.key() == null || entry.key().isEmpty()) {
                unlimited.add(entry);
            } else if (waitingByKey.containsKey(entry.key())) {
                park(entry, now);
            } else {
                asked.add(entry);
                leases.add(ConcurrencyLeases.member(owner + "#" + ++sequence, entry.key()));
            }
        }
        return new Plan(unlimited, asked, leases);
    }

    /**
     * Redis' answer to {@code plan} ({@code granted} per asked lease; all false when it could not be asked): the
     * entries that start now, in their order, each with its lease. The others wait for their key.
     */
    public synchronized List<Admitted> granted(Plan plan, List<Boolean> granted) {
        List<Admitted> admitted = new ArrayList<>();
        plan.unlimited().forEach(entry -> admitted.add(new Admitted(entry, null)));
        long now = clock.getAsLong();
        for (int i = 0; i < plan.asked().size(); i++) {
            Waiting entry = plan.asked().get(i);
            if (i < granted.size() && granted.get(i)) {
                String lease = plan.leases().get(i);
                leasesByKey.merge(entry.key(), 1, Integer::sum);
                running.put(entry.id(), lease);
                admitted.add(new Admitted(entry, lease));
            } else {
                park(entry, now);
            }
        }
        return admitted;
    }

    private void park(Waiting entry, long now) {
        waitingByKey.computeIfAbsent(entry.key(), k -> new ArrayDeque<>()).add(entry);
        waitingById.put(entry.id(), entry);
        rechecks.computeIfAbsent(entry.key(), k -> new long[] { now + FIRST_RECHECK_MS, FIRST_RECHECK_MS });
    }

    /**
     * The entry's exchange ended (completed, failed, or was not started after all): its lease goes to the next entry
     * waiting for the same key, or is queued to be given back. Nothing happens for an entry without a lease.
     */
    public void finished(String id) {
        if (!enabled) {
            return;
        }
        synchronized (this) {
            String lease = running.remove(id);
            if (lease != null) {
                handOver(lease);
            }
        }
    }

    private void handOver(String lease) {
        String key = ConcurrencyLeases.keyOf(lease);
        Waiting next = poll(key);
        if (next != null) {
            ready.add(new Admitted(next, lease));
            readyIds.add(next.id());
            notifyAll(); // a reader in awaitHandover starts it now
        } else {
            releases.add(lease);
            leasesByKey.computeIfPresent(key, (k, n) -> n > 1 ? n - 1 : null);
        }
    }

    private Waiting poll(String key) {
        ArrayDeque<Waiting> queue = waitingByKey.get(key);
        if (queue == null) {
            return null;
        }
        Waiting next = queue.poll();
        if (queue.isEmpty()) {
            waitingByKey.remove(key);
            rechecks.remove(key);
        }
        if (next != null) {
            waitingById.remove(next.id());
        }
        return next;
    }

    /**
     * Waits up to {@code maxWaitMs} until a finishing entry hands its lease to a waiting one (returns at once when one
     * is ready): the reader waits here instead of in a blocking read while entries wait behind its own leases.
     */
    public synchronized void awaitHandover(long maxWaitMs) throws InterruptedException {
        if (ready.isEmpty() && maxWaitMs > 0) {
            wait(maxWaitMs);
        }
    }

    public synchronized boolean hasReady() {
        return !ready.isEmpty();
    }

    /** Up to {@code max} entries that were handed a lease, to be claimed and started; each counts as running. */
    public synchronized List<Admitted> takeReady(int max) {
        List<Admitted> taken = new ArrayList<>();
        while (taken.size() < max && !ready.isEmpty()) {
            Admitted admitted = ready.poll();
            readyIds.remove(admitted.entry().id());
            running.put(admitted.entry().id(), admitted.lease());
            taken.add(admitted);
        }
        return taken;
    }

    /** Whether a key waits for its next try at {@code now}. */
    public synchronized boolean isRecheckDue(long now) {
        return nextRecheckAt() <= now;
    }

    /** When the next key waiting for a slot held elsewhere is asked for again, or {@link Long#MAX_VALUE}. */
    public synchronized long nextRecheckAt() {
        long next = Long.MAX_VALUE;
        for (long[] recheck : rechecks.values()) {
            next = Math.min(next, recheck[0]);
        }
        return next;
    }

    /** One new lease for each key due for another try at {@code now} (at most {@link #RECHECK_KEYS}). */
    public synchronized Recheck recheck(long now) {
        List<String> keys = new ArrayList<>();
        List<String> leases = new ArrayList<>();
        for (Map.Entry<String, long[]> recheck : rechecks.entrySet()) {
            if (keys.size() == RECHECK_KEYS) {
                break;
            }
            if (recheck.getValue()[0] <= now) {
                keys.add(recheck.getKey());
                leases.add(ConcurrencyLeases.member(owner + "#" + ++sequence, recheck.getKey()));
            }
        }
        return new Recheck(keys, leases);
    }

    /**
     * Redis' answer to a recheck: a granted lease goes to the key's first waiting entry (ready to start); a key still
     * at its limit waits twice as long before the next try, up to {@link #MAX_RECHECK_MS}.
     */
    public synchronized void rechecked(Recheck recheck, List<Boolean> granted, long now) {
        for (int i = 0; i < recheck.keys().size(); i++) {
            String key = recheck.keys().get(i);
            boolean got = i < granted.size() && granted.get(i);
            if (got) {
                leasesByKey.merge(key, 1, Integer::sum);
                handOver(recheck.leases().get(i));
            }
            long[] next = rechecks.get(key);
            if (next != null) {
                next[1] = got ? FIRST_RECHECK_MS : Math.min(MAX_RECHECK_MS, next[1] * 2);
                next[0] = now + next[1];
            }
        }
    }

    /** Leases to give back in Redis, taken from the queue. */
    public synchronized List<String> takeReleases() {
        if (releases.isEmpty()) {
            return List.of();
        }
        List<String> taken = new ArrayList<>(releases);
        releases.clear();
        return taken;
    }

    /** Leases that could not be given back (Redis failed): tried again with the next ones. */
    public synchronized void releaseLater(List<String> leases) {
        releases.addAll(leases);
    }

    public synchronized boolean hasReleases() {
        return !releases.isEmpty();
    }

    /** True while an entry waits for a key this reader holds a lease of: a finishing entry may hand it over any moment. */
    public synchronized boolean waitsForOwnLease() {
        for (String key : waitingByKey.keySet()) {
            if (leasesByKey.containsKey(key)) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code id} waits for its key or is about to start with a lease handed to it. */
    public boolean holds(String id) {
        if (!enabled) {
            return false;
        }
        synchronized (this) {
            return waitingById.containsKey(id) || readyIds.contains(id);
        }
    }

    /** Ids of the entries waiting (for their key, or to be started): kept alive like running ones. */
    public synchronized List<String> waitingIds() {
        List<String> ids = new ArrayList<>(waitingById.keySet());
        ids.addAll(readyIds);
        return ids;
    }

    /** Entries waiting for their key. */
    public synchronized int waiting() {
        return waitingById.size();
    }

    /** True when as many entries wait as may: read nothing new until some start. */
    public synchronized boolean isFull() {
        return enabled && waitingById.size() >= maxWaiting;
    }

    /** Leases held by running or ready entries, refreshed so they do not expire while used. */
    public synchronized List<String> leases() {
        List<String> leases = new ArrayList<>(running.values());
        ready.forEach(admitted -> leases.add(admitted.lease()));
        return leases;
    }

    /**
     * Forgets the waiting entries (the group was lost, or the reader stops: they stay pending in Redis); the leases of
     * entries ready to start are queued to be given back. Running entries keep theirs until they finish.
     */
    public synchronized void clearWaiting() {
        for (Admitted admitted : ready) {
            releases.add(admitted.lease());
            leasesByKey.computeIfPresent(admitted.entry().key(), (k, n) -> n > 1 ? n - 1 : null);
        }
        ready.clear();
        readyIds.clear();
        waitingByKey.clear();
        waitingById.clear();
        rechecks.clear();
    }
}
