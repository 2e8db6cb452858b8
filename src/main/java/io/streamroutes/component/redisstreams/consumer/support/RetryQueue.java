package io.streamroutes.component.redisstreams.consumer.support;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Entries of one consumer waiting for a retry: still pending for it in Redis, not in flight, each with the time it is
 * due. Only ids and counts are kept; the entry itself is fetched again when it is claimed for the retry. Thread-safe:
 * exchanges' completions add, the reading thread takes.
 */
public final class RetryQueue {

    /** One waiting entry; {@code keepCount}: the retry keeps {@code deliveryCount} instead of adding one. */
    public record Retry(String id, long dueAtMillis, long deliveryCount, boolean keepCount) {
    }

    private static final Comparator<Retry> BY_DUE_TIME = Comparator.comparingLong(Retry::dueAtMillis).thenComparing(Retry::id);

    private final Map<String, Retry> byId = new HashMap<>();
    private final TreeSet<Retry> byDueTime = new TreeSet<>(BY_DUE_TIME);

    /** Adds or reschedules an entry. */
    public synchronized void add(Retry retry) {
        Retry previous = byId.put(retry.id(), retry);
        if (previous != null) {
            byDueTime.remove(previous);
        }
        byDueTime.add(retry);
    }

    /** Removes and returns up to {@code max} entries due at {@code nowMillis}, earliest first. */
    public synchronized List<Retry> takeDue(long nowMillis, int max) {
        List<Retry> due = new ArrayList<>();
        while (due.size() < max && !byDueTime.isEmpty() && byDueTime.first().dueAtMillis() <= nowMillis) {
            Retry retry = byDueTime.pollFirst();
            byId.remove(retry.id());
            due.add(retry);
        }
        return due;
    }

    public synchronized boolean contains(String id) {
        return byId.containsKey(id);
    }

    /** Removes the entry (e.g. our own XAUTOCLAIM sweep took it); null when it was not waiting. */
    public synchronized Retry remove(String id) {
        Retry retry = byId.remove(id);
        if (retry != null) {
            byDueTime.remove(retry);
        }
        return retry;
    }

    public synchronized int size() {
        return byId.size();
    }

    /** When the earliest entry is due, or {@link Long#MAX_VALUE} when none waits. */
    public synchronized long nextDueAtMillis() {
        return byDueTime.isEmpty() ? Long.MAX_VALUE : byDueTime.first().dueAtMillis();
    }

    public synchronized void clear() {
        byId.clear();
        byDueTime.clear();
    }
}
