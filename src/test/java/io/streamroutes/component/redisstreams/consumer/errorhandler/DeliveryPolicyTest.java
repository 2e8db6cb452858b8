package io.streamroutes.component.redisstreams.consumer.errorhandler;

import io.streamroutes.component.redisstreams.RedisStreamsReplicasNotConfirmedException;
import java.time.Duration;
import java.util.List;
import java.util.random.RandomGenerator;

import io.streamroutes.component.redisstreams.RedisStreamsNonRetryableException;
import io.streamroutes.component.redisstreams.RedisStreamsRetryAfterException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The retry schedule and the fate of a failed entry, as pure functions: no Redis, time passed in. */
class DeliveryPolicyTest {

    private static final long NOW = 1_700_000_000_000L;

    /** A random source that always answers the same fraction, so jitter is predictable. */
    private static RandomGenerator fixed(double value) {
        return new RandomGenerator() {
            @Override
            public long nextLong() {
                throw new UnsupportedOperationException();
            }

            @Override
            public double nextDouble() {
                return value;
            }
        };
    }

    private static BackoffDelays schedule(long delay, double multiplier, long max, double random) {
        return new BackoffDelays(delay, multiplier, max, fixed(random));
    }

    @Test
    void delaysDoubleFromTheFirstDeliveryAndStopAtTheCap() {
        BackoffDelays s = schedule(1000, 2, 180_000, 0.5); // 0.5: no jitter
        assertEquals(List.of(1000L, 2000L, 4000L, 8000L, 16_000L, 32_000L, 64_000L, 128_000L, 180_000L, 180_000L),
                List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L).stream().map(s::delay).toList());
    }

    @Test
    void jitterSpreadsByFifteenPercentButNeverPastTheCap() {
        assertEquals(850, schedule(1000, 2, 60_000, 0.0).delay(1));
        assertEquals(1150, schedule(1000, 2, 60_000, 1.0).delay(1));
        assertEquals(60_000, schedule(1000, 2, 60_000, 1.0).delay(30), "capped after jitter too");
        assertEquals(60_000, schedule(1000, 2, 60_000, 0.5).delay(Long.MAX_VALUE), "huge counts do not overflow");
    }

    @Test
    void aZeroDelayTurnsTheScheduleOff() {
        DeliveryPolicy policy = new DeliveryPolicy(10, true, schedule(0, 2, 60_000, 0.5));
        assertInstanceOf(DeliveryPolicy.LeavePending.class, policy.onFailure(new IllegalStateException("500"), 1, NOW));
        assertEquals(NOW, policy.dueAfterRestart(3, 0, NOW), "pending entries are taken up at once, as before");
    }

    @Test
    void aTransientFailureIsRetriedAfterTheDelayOfItsDeliveryCount() {
        DeliveryPolicy policy = new DeliveryPolicy(10, true, schedule(1000, 2, 60_000, 0.5));
        DeliveryPolicy.RetryAt retry = (DeliveryPolicy.RetryAt) policy.onFailure(new IllegalStateException("HTTP 500"), 3, NOW);
        assertEquals(NOW + 4000, retry.atMillis());
        assertFalse(retry.keepCount(), "a failed attempt counts");
        assertEquals(0, retry.pauseUntilMillis(), "an ordinary failure pauses nothing");
        assertTrue(retry.reason().contains("HTTP 500"));
    }

    @Test
    void theLastAllowedDeliveryFailingGoesToTheDeadLetters() {
        DeliveryPolicy policy = new DeliveryPolicy(3, true, schedule(1000, 2, 60_000, 0.5));
        assertInstanceOf(DeliveryPolicy.RetryAt.class, policy.onFailure(new IllegalStateException(), 2, NOW));
        assertInstanceOf(DeliveryPolicy.DeadLetterIt.class, policy.onFailure(new IllegalStateException(), 3, NOW));
        assertFalse(policy.isExhausted(3));
        assertTrue(policy.isExhausted(4), "a fourth delivery (the third never completed) is not tried");
    }

    @Test
    void withoutADeadLetterStreamAnExhaustedEntryKeepsBeingRetried() {
        DeliveryPolicy policy = new DeliveryPolicy(3, false, schedule(1000, 2, 60_000, 0.5));
        assertInstanceOf(DeliveryPolicy.RetryAt.class, policy.onFailure(new IllegalStateException(), 5, NOW));
        assertFalse(policy.isExhausted(50));
    }

    @Test
    void aNonRetryableFailureIsDeadLetteredAtOnceEvenWhenWrapped() {
        DeliveryPolicy policy = new DeliveryPolicy(10, true, schedule(1000, 2, 60_000, 0.5));
        Exception wrapped = new RuntimeException("route", new RedisStreamsNonRetryableException("bad amount"));
        assertInstanceOf(DeliveryPolicy.DeadLetterIt.class, policy.onFailure(wrapped, 1, NOW));
        DeliveryPolicy noDeadLetters = new DeliveryPolicy(10, false, schedule(1000, 2, 60_000, 0.5));
        DeliveryPolicy.LeavePending left = (DeliveryPolicy.LeavePending) noDeadLetters.onFailure(wrapped, 1, NOW);
        assertTrue(left.permanent());
    }

    @Test
    void retryAfterWaitsAsAskedPausesAndNeverExhaustsTheDeliveries() {
        DeliveryPolicy policy = new DeliveryPolicy(3, true, schedule(1000, 2, 60_000, 0.5));
        Exception limited = new RuntimeException(new RedisStreamsRetryAfterException("HTTP 429", Duration.ofSeconds(2)));
        for (long count : new long[] { 1, 3, 7 }) {
            DeliveryPolicy.RetryAt retry = (DeliveryPolicy.RetryAt) policy.onFailure(limited, count, NOW);
            assertEquals(NOW + 2000, retry.atMillis());
            assertEquals(NOW + 2000, retry.pauseUntilMillis());
            assertTrue(retry.keepCount());
        }
    }

    @Test
    void replicasNotConfirmingAreAnOutageRetriedAfterASecondWithoutUsingUpDeliveries() {
        DeliveryPolicy policy = new DeliveryPolicy(2, true, schedule(1000, 2, 60_000, 0.5));
        Exception outage = new RuntimeException(new RedisStreamsReplicasNotConfirmedException("confirmed by 0 of 1 replicas"));
        for (long count : new long[] { 1, 2, 9 }) {
            DeliveryPolicy.RetryAt retry = (DeliveryPolicy.RetryAt) policy.onFailure(outage, count, NOW);
            assertEquals(NOW + 1000, retry.atMillis());
            assertEquals(NOW + 1000, retry.pauseUntilMillis());
            assertTrue(retry.keepCount());
        }
    }

    @Test
    void replicasAreMissingFromAPauseForThemUntilAnExchangeCompletesAndAnOrdinaryPauseIsNoSuchOutage() {
        ConsumerPause pause = new ConsumerPause();
        pause.pauseUntil(NOW + 500, "HTTP 429");
        assertEquals(null, pause.replicasMissing());
        pause.pauseUntil(NOW + 1000, "confirmed by 0 of 1 replicas", true);
        assertEquals("confirmed by 0 of 1 replicas", pause.replicasMissing());
        assertEquals(NOW + 1000, pause.untilMillis());
        pause.replicasConfirmed();
        assertEquals(null, pause.replicasMissing());
    }

    @Test
    void afterARestartAnEntryIsDueWhenItsDelayHasPassedSinceItsLastDelivery() {
        DeliveryPolicy policy = new DeliveryPolicy(10, true, schedule(1000, 2, 60_000, 0.5));
        assertEquals(NOW + 3000, policy.dueAfterRestart(3, 1000, NOW), "4 s after delivery 3, 1 s of it gone");
        assertEquals(NOW, policy.dueAfterRestart(3, 10_000, NOW), "overdue: at once");
    }
}
