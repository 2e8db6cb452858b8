package io.streamroutes.component.redisstreams.consumer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

import io.streamroutes.component.redisstreams.client.ConcurrencyLeases;
import io.streamroutes.component.redisstreams.client.GroupConsumer;
import io.streamroutes.component.redisstreams.client.RedisStreamsClient;
import io.streamroutes.component.redisstreams.client.StreamCommands;
import io.streamroutes.component.redisstreams.client.StreamEntry;
import io.streamroutes.component.redisstreams.client.StreamGroup;
import io.streamroutes.component.redisstreams.consumer.errorhandler.ClaimedEntries;
import io.streamroutes.component.redisstreams.consumer.support.FieldNames;
import io.streamroutes.component.redisstreams.consumer.support.PerKeyAdmission;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the per-key limit meets Redis, on the reading thread: evaluates each entry's {@code concurrencyKey}, takes
 * leases for the entries that may start ({@link ConcurrencyLeases}), claims again the waiting entries a lease was
 * handed to (keeping their delivery count), asks again for keys whose slots other processes hold, and gives back the
 * leases of finished entries. The decisions are the {@link PerKeyAdmission}'s.
 */
final class PerKeyGate {

    private static final Logger LOG = LoggerFactory.getLogger(PerKeyGate.class);

    /** Entries a reader keeps waiting for their key at most; beyond that it reads nothing new until some start. */
    static final int MAX_WAITING = 10_000;

    private final GroupConsumer self;
    private final StreamGroup group;
    private final EntryExchanges route;
    private final PerKeyAdmission admission;
    private final int maxPerKey;
    private final long leaseMillis;
    private final LongSupplier clock;
    private final FieldNames fieldNames = new FieldNames();

    PerKeyGate(GroupConsumer self, EntryExchanges route, PerKeyAdmission admission, int maxPerKey, long leaseMillis, LongSupplier clock) {
        this.self = self;
        this.group = self.streamGroup();
        this.route = route;
        this.admission = admission;
        this.maxPerKey = maxPerKey;
        this.leaseMillis = leaseMillis;
        this.clock = clock;
    }

    /** Of entries just read (first deliveries), those that may start now; the others wait for their key. */
    List<StreamEntry> admitRead(StreamCommands redis, List<StreamEntry> entries) {
        if (entries.isEmpty()) {
            return entries;
        }
        return admit(redis, new ClaimedEntries(entries, java.util.Collections.nCopies(entries.size(), 1L))).entries();
    }

    /** Of entries claimed again (retries, take-overs), those that may start now; the others wait for their key. */
    ClaimedEntries admit(StreamCommands redis, ClaimedEntries candidates) {
        if (candidates.entries().isEmpty()) {
            return candidates;
        }
        List<PerKeyAdmission.Waiting> waiting = new ArrayList<>(candidates.entries().size());
        Map<String, StreamEntry> byId = new HashMap<>();
        for (int i = 0; i < candidates.entries().size(); i++) {
            StreamEntry entry = candidates.entries().get(i);
            long count = candidates.deliveryCounts().get(i);
            byId.put(entry.id(), entry);
            waiting.add(new PerKeyAdmission.Waiting(entry.id(), route.concurrencyKey(self, entry, fieldNames.decode(entry), count), count));
        }
        PerKeyAdmission.Plan plan = admission.plan(waiting);
        List<Boolean> granted;
        try {
            granted = ConcurrencyLeases.acquire(redis, group, maxPerKey, leaseMillis, plan.leases());
        } catch (RuntimeException e) {
            admission.granted(plan, List.of()); // they wait, still pending, and are asked for again
            throw e;
        }
        List<StreamEntry> entries = new ArrayList<>();
        List<Long> counts = new ArrayList<>();
        for (PerKeyAdmission.Admitted admitted : admission.granted(plan, granted)) {
            entries.add(byId.get(admitted.entry().id()));
            counts.add(admitted.entry().deliveryCount());
        }
        return new ClaimedEntries(entries, counts);
    }

    boolean hasReady() {
        return admission.hasReady();
    }

    /**
     * Claims up to {@code room} waiting entries a lease was handed to, keeping their delivery count; an entry that is
     * no longer ours (taken over, deleted) passes its lease on.
     */
    ClaimedEntries claimReady(StreamCommands redis, int room) {
        List<PerKeyAdmission.Admitted> ready = admission.takeReady(room);
        Map<String, Long> keepCounts = new LinkedHashMap<>();
        ready.forEach(admitted -> keepCounts.put(admitted.entry().id(), admitted.entry().deliveryCount()));
        RedisStreamsClient.RetryClaim claim;
        try {
            claim = redis.claimForRetry(self, keepCounts);
        } catch (RuntimeException e) {
            // not claimed: their leases are given back; the entries stay pending for this consumer (resumed after the failure)
            ready.forEach(admitted -> admission.finished(admitted.entry().id()));
            throw e;
        }
        Map<String, StreamEntry> claimed = new HashMap<>();
        claim.entries().forEach(entry -> claimed.put(entry.id(), entry));
        List<StreamEntry> entries = new ArrayList<>();
        List<Long> counts = new ArrayList<>();
        for (PerKeyAdmission.Admitted admitted : ready) {
            StreamEntry entry = claimed.get(admitted.entry().id());
            if (entry == null) {
                admission.finished(admitted.entry().id());
            } else {
                entries.add(entry);
                counts.add(admitted.entry().deliveryCount());
            }
        }
        return new ClaimedEntries(entries, counts);
    }

    boolean isRecheckDue() {
        return admission.isRecheckDue(clock.getAsLong());
    }

    long nextRecheckAt() {
        return admission.nextRecheckAt();
    }

    /** Asks Redis again for the keys whose entries wait for slots other processes held. */
    void recheck(StreamCommands redis) {
        long now = clock.getAsLong();
        PerKeyAdmission.Recheck recheck = admission.recheck(now);
        List<Boolean> granted;
        try {
            granted = ConcurrencyLeases.acquire(redis, group, maxPerKey, leaseMillis, recheck.leases());
        } catch (RuntimeException e) {
            admission.rechecked(recheck, List.of(), now);
            throw e;
        }
        admission.rechecked(recheck, granted, now);
    }

    /** Gives back the leases of finished entries whose key nothing here waits for. */
    void writeReleases(StreamCommands redis) {
        List<String> leases = admission.takeReleases();
        if (leases.isEmpty()) {
            return;
        }
        try {
            ConcurrencyLeases.release(redis, group, leases);
        } catch (RuntimeException e) {
            admission.releaseLater(leases);
            throw e;
        }
    }

    boolean hasReleases() {
        return admission.hasReleases();
    }

    /** A handed-over lease may come any moment: the read should not block long. */
    boolean waitsForOwnLease() {
        return admission.waitsForOwnLease();
    }

    boolean isFull() {
        return admission.isFull();
    }

    /** On stop: the waiting entries stay pending (taken over or resumed later); the leases not in use are given back. */
    void stop(StreamCommands redis) {
        admission.clearWaiting();
        List<String> leases = admission.takeReleases();
        if (!leases.isEmpty()) {
            try {
                ConcurrencyLeases.release(redis, group, leases);
            } catch (RuntimeException e) {
                LOG.debug("Stream '{}' consumer '{}': {} concurrency leases not given back on stop; they expire in {} ms", self.key(),
                        self.name(), leases.size(), leaseMillis);
            }
        }
    }
}
