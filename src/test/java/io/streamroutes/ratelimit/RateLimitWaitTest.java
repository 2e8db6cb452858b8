package io.streamroutes.ratelimit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.streamroutes.component.redisstreams.RedisStreamsRetryAfterException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The decision on the limit's answer, with a hand-driven clock: no server, no real sleeping. */
class RateLimitWaitTest {

    private long now = 1_000_000_000L;
    private final List<Long> sleeps = new ArrayList<>();

    /** A sleeper that advances the clock by what it was asked, or by {@code step} at most (an early wake-up). */
    private RateLimitWait waitWithSleeperStep(long step) {
        return new RateLimitWait(() -> now, nanos -> {
            sleeps.add(nanos);
            now += Math.min(nanos, step);
        });
    }

    @AfterEach
    void clearInterrupt() {
        Thread.interrupted();
    }

    @Test
    void aSlotThatIsFreeNowGoesWithoutSleeping() {
        waitWithSleeperStep(Long.MAX_VALUE).await("p", new RateLimitAnswer(true, 0));
        assertTrue(sleeps.isEmpty());
    }

    @Test
    void aReservedSlotIsWaitedForInProcess() {
        long start = now;
        waitWithSleeperStep(Long.MAX_VALUE).await("p", new RateLimitAnswer(true, 250_000));
        assertEquals(List.of(250_000_000L), sleeps);
        assertEquals(250_000_000L, now - start);
    }

    @Test
    void anEarlyWakeUpSleepsAgainForWhatIsLeft() {
        long start = now;
        waitWithSleeperStep(100_000_000L).await("p", new RateLimitAnswer(true, 250_000));
        assertEquals(List.of(250_000_000L, 150_000_000L, 50_000_000L), sleeps);
        assertEquals(250_000_000L, now - start, "returns when the slot has come, not before");
    }

    @Test
    void noSlotReservedMeansRetryAfterTheWaitWithoutSleeping() {
        RedisStreamsRetryAfterException e = assertThrows(RedisStreamsRetryAfterException.class,
                () -> waitWithSleeperStep(Long.MAX_VALUE).await("integration.provider.stripe", new RateLimitAnswer(false, 7_500_000)));
        assertEquals(Duration.ofMillis(7500), e.getDelay());
        assertTrue(e.getMessage().contains("integration.provider.stripe"), e.getMessage());
        assertTrue(sleeps.isEmpty());
    }

    @Test
    void interruptedWhileWaitingRetriesAfterWhatWasLeftAndKeepsTheInterrupt() {
        RateLimitWait wait = new RateLimitWait(() -> now, nanos -> {
            now += 40_000_000L;
            throw new InterruptedException("stopping");
        });
        RedisStreamsRetryAfterException e = assertThrows(RedisStreamsRetryAfterException.class,
                () -> wait.await("p", new RateLimitAnswer(true, 100_000)));
        assertEquals(Duration.ofMillis(60), e.getDelay());
        assertTrue(Thread.currentThread().isInterrupted());
    }

    @Test
    void aSlotIsMissedOnlyWhenTheCallComesMoreThanOneIntervalAfterIt() {
        RateLimitWait wait = waitWithSleeperStep(Long.MAX_VALUE);
        long slot = wait.await("p", new RateLimitAnswer(true, 50_000));
        assertEquals(now, slot, "the slot's time on the clock: when the wait ended");
        now += 100_000_000L;
        assertFalse(wait.missed(slot, 100_000_000L), "one interval late still goes: at most two calls meet");
        now += 1;
        assertTrue(wait.missed(slot, 100_000_000L), "later: the slot is given up for a new one");
    }
}
