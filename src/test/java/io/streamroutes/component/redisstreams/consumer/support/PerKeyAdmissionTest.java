package io.streamroutes.component.redisstreams.consumer.support;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import io.streamroutes.component.redisstreams.client.ConcurrencyLeases;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The per-key limit's decisions, with a hand-moved clock and Redis' answers given by the test. */
class PerKeyAdmissionTest {

    private final AtomicLong now = new AtomicLong(1_000);
    private final PerKeyAdmission admission = PerKeyAdmission.of("worker-1", 5, now::get);

    private static PerKeyAdmission.Waiting entry(String id, String key) {
        return new PerKeyAdmission.Waiting(id, key, 1);
    }

    private List<String> ids(List<PerKeyAdmission.Admitted> admitted) {
        return admitted.stream().map(a -> a.entry().id()).toList();
    }

    /** Plans {@code entries} and lets Redis grant the first {@code grantedPerKey} asked leases of each key. */
    private List<PerKeyAdmission.Admitted> admit(int grantedPerKey, PerKeyAdmission.Waiting... entries) {
        PerKeyAdmission.Plan plan = admission.plan(List.of(entries));
        List<Boolean> granted = new ArrayList<>();
        java.util.Map<String, Integer> perKey = new java.util.HashMap<>();
        for (PerKeyAdmission.Waiting asked : plan.asked()) {
            granted.add(perKey.merge(asked.key(), 1, Integer::sum) <= grantedPerKey);
        }
        return admission.granted(plan, granted);
    }

    @Test
    void entriesOfABusyKeyWaitWhileOtherKeysStart() {
        List<PerKeyAdmission.Admitted> admitted = admit(1, entry("1", "a"), entry("2", "a"), entry("3", "a"), entry("4", "b"),
                entry("5", null));
        assertEquals(List.of("5", "1", "4"), ids(admitted)); // not limited first, then the granted ones in order
        assertNull(admitted.get(0).lease(), "an entry without a key needs no lease");
        assertEquals("a", ConcurrencyLeases.keyOf(admitted.get(1).lease()));
        assertEquals(2, admission.waiting());
        assertTrue(admission.holds("2") && admission.holds("3"));
        assertFalse(admission.holds("1"), "a running entry is held by the in-flight window, not here");
    }

    @Test
    void aNewEntryOfAKeyThatWaitsQueuesBehindWithoutAskingRedis() {
        admit(1, entry("1", "a"), entry("2", "a"));
        PerKeyAdmission.Plan plan = admission.plan(List.of(entry("3", "a"), entry("4", "b")));
        assertEquals(List.of("4"), plan.asked().stream().map(PerKeyAdmission.Waiting::id).toList());
        assertEquals(2, admission.waiting());
    }

    @Test
    void aFinishedEntryHandsItsLeaseToTheNextOfItsKeyInOrder() {
        List<PerKeyAdmission.Admitted> first = admit(1, entry("1", "a"), entry("2", "a"), entry("3", "a"));
        String lease = first.get(0).lease();
        assertTrue(admission.waitsForOwnLease());

        admission.finished("1");
        assertTrue(admission.hasReady());
        List<PerKeyAdmission.Admitted> ready = admission.takeReady(10);
        assertEquals(List.of("2"), ids(ready));
        assertEquals(lease, ready.get(0).lease(), "the slot changes hands without going back to Redis");
        assertEquals(List.of(), admission.takeReleases());

        admission.finished("2");
        assertEquals(List.of("3"), ids(admission.takeReady(10)));
        admission.finished("3");
        assertEquals(List.of(lease), admission.takeReleases(), "nothing waits for the key: its lease is given back");
        assertFalse(admission.waitsForOwnLease());
        assertEquals(Long.MAX_VALUE, admission.nextRecheckAt());
    }

    @Test
    void finishingTwiceOrAnEntryWithoutLeaseDoesNothing() {
        admit(1, entry("1", "a"), entry("2", null));
        admission.finished("2");
        admission.finished("1");
        admission.finished("1");
        assertEquals(1, admission.takeReleases().size());
    }

    @Test
    void aKeyHeldElsewhereIsAskedAgainWithADoublingWaitUpToACap() {
        admit(0, entry("1", "a"), entry("2", "a"));
        assertFalse(admission.waitsForOwnLease(), "no lease of this reader: only a recheck can admit it");
        assertEquals(1_000 + PerKeyAdmission.FIRST_RECHECK_MS, admission.nextRecheckAt());
        assertFalse(admission.isRecheckDue(now.get()));

        long wait = PerKeyAdmission.FIRST_RECHECK_MS;
        List<Long> waits = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            now.set(admission.nextRecheckAt());
            PerKeyAdmission.Recheck recheck = admission.recheck(now.get());
            assertEquals(List.of("a"), recheck.keys());
            admission.rechecked(recheck, List.of(false), now.get());
            waits.add(admission.nextRecheckAt() - now.get());
        }
        assertEquals(List.of(2 * wait, 4 * wait, 8 * wait, 16 * wait, PerKeyAdmission.MAX_RECHECK_MS, PerKeyAdmission.MAX_RECHECK_MS),
                waits);
    }

    @Test
    void aRecheckThatWinsASlotStartsTheFirstWaitingEntry() {
        admit(0, entry("1", "a"), entry("2", "a"));
        now.addAndGet(PerKeyAdmission.FIRST_RECHECK_MS);
        PerKeyAdmission.Recheck recheck = admission.recheck(now.get());
        admission.rechecked(recheck, List.of(true), now.get());
        List<PerKeyAdmission.Admitted> ready = admission.takeReady(10);
        assertEquals(List.of("1"), ids(ready));
        assertEquals(recheck.leases().get(0), ready.get(0).lease());
        assertEquals(List.of(recheck.leases().get(0)), admission.leases(), "refreshed while its entry runs");
        assertTrue(admission.waitsForOwnLease(), "entry 2 now waits behind a lease of this reader");
    }

    @Test
    void aReadyEntryThatIsNoLongerOursPassesItsLeaseOn() {
        admit(1, entry("1", "a"), entry("2", "a"), entry("3", "a"));
        admission.finished("1");
        PerKeyAdmission.Admitted two = admission.takeReady(1).get(0);
        admission.finished(two.entry().id()); // the claim found it taken over by another consumer
        assertEquals(List.of("3"), ids(admission.takeReady(1)));
    }

    @Test
    void waitingEntriesAreKeptAliveAndBounded() {
        admit(0, entry("1", "a"), entry("2", "b"), entry("3", "c"), entry("4", "d"));
        assertFalse(admission.isFull());
        admit(0, entry("5", "e"));
        assertTrue(admission.isFull(), "five wait, the most this reader keeps");
        List<String> ids = new ArrayList<>(admission.waitingIds());
        Collections.sort(ids);
        assertEquals(List.of("1", "2", "3", "4", "5"), ids);
    }

    @Test
    void clearingGivesBackTheLeasesOfReadyEntriesAndForgetsTheWaiting() {
        admit(1, entry("1", "a"), entry("2", "a"), entry("3", "b"));
        admission.finished("1"); // its lease goes to 2, ready
        admission.clearWaiting();
        assertEquals(1, admission.takeReleases().size());
        assertFalse(admission.hasReady());
        assertEquals(0, admission.waiting());
        assertEquals(1, admission.leases().size(), "entry 3 still runs with its lease");
    }

    @Test
    void switchedOffItHoldsNothing() {
        PerKeyAdmission off = PerKeyAdmission.off();
        off.finished("1");
        assertFalse(off.holds("1"));
        assertFalse(off.isFull());
    }

    @Test
    void aReaderWaitingForAHandOverWakesWhenAnEntryFinishes() throws Exception {
        admit(1, entry("1", "a"), entry("2", "a"));
        long start = System.nanoTime();
        Thread worker = new Thread(() -> admission.finished("1"));
        worker.start();
        admission.awaitHandover(10_000);
        worker.join();
        assertTrue(admission.hasReady());
        assertTrue((System.nanoTime() - start) / 1_000_000 < 5_000, "woken by the hand-over, not by the time-out");
        admission.awaitHandover(10_000); // one is ready: at once
    }
}
