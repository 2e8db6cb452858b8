package io.streamroutes.component.redisstreams.consumer.support;

import java.util.concurrent.atomic.AtomicLong;

import io.streamroutes.component.redisstreams.consumer.support.ScheduledMoveTiming.Step;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** When the scheduled-entries mover runs and what it sends, with an injected clock; no server. */
class ScheduledMoveTimingTest {

    private final AtomicLong now = new AtomicLong(1_000_000);
    private final ScheduledMoveTiming timing = new ScheduledMoveTiming(now::get);

    @Test
    void theFirstLookIsAMoveAtOnceSoEntriesScheduledWhileNoConsumerRanAreMoved() {
        assertEquals(Step.MOVE, timing.step());
        assertEquals(0, timing.delayMillis());
    }

    @Test
    void aStreamWithoutScheduledEntriesOnlyChecksTwiceASecond() {
        timing.moved(0, 500, -1);
        for (int i = 0; i < 10; i++) {
            assertEquals(Step.CHECK, timing.step());
            assertEquals(500, timing.delayMillis());
            now.addAndGet(500);
            assertEquals(0, timing.delayMillis());
            timing.checked(false);
        }
        assertEquals(Step.CHECK, timing.step());
    }

    @Test
    void entriesAppearingMoveAtOnce() {
        timing.moved(0, 500, -1);
        now.addAndGet(500);
        timing.checked(true);
        assertEquals(Step.MOVE, timing.step());
        assertEquals(0, timing.delayMillis());
    }

    @Test
    void theNextMoveIsAtTheNextDueTimeAndAtTheLatestAfterHalfASecond() {
        timing.moved(3, 500, 120);
        assertEquals(Step.MOVE, timing.step());
        assertEquals(120, timing.delayMillis());
        now.addAndGet(100);
        assertEquals(20, timing.delayMillis());

        timing.moved(0, 500, 15 * 60_000); // the next is a reminder in 15 minutes: another process may add an earlier one
        assertEquals(Step.MOVE, timing.step());
        assertEquals(ScheduledMoveTiming.LONGEST_WAIT_MS, timing.delayMillis());

        timing.moved(0, 500, 0);
        assertEquals(0, timing.delayMillis());
    }

    @Test
    void aFullBatchIsFollowedByAnotherAtOnce() {
        timing.moved(500, 500, 0);
        assertEquals(Step.MOVE, timing.step());
        assertEquals(0, timing.delayMillis());
        timing.moved(500, 500, -1); // the batch emptied the set exactly: the next move finds it so
        assertEquals(Step.MOVE, timing.step());
        assertEquals(0, timing.delayMillis());
    }

    @Test
    void aRedisFailureTriesTheMoveAgainHalfASecondLater() {
        timing.moved(0, 500, -1);
        timing.failed();
        assertEquals(Step.MOVE, timing.step());
        assertEquals(500, timing.delayMillis());
    }
}
