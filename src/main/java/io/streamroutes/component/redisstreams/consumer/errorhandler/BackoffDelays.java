package io.streamroutes.component.redisstreams.consumer.errorhandler;

import java.util.random.RandomGenerator;


/**
 * When a failed entry is tried again: {@code redeliveryDelay} after its first delivery failed, multiplied by
 * {@code backOffMultiplier} for every further delivery, capped at {@code maximumRedeliveryDelay}, spread by
 * &plusmn;{@value #JITTER} (as Camel's collision avoidance does) so that entries that failed together are not retried
 * together. The delay depends only on the delivery count, which Redis keeps in the pending list, so the schedule
 * carries on after a restart.
 */
public final class BackoffDelays {

    /** The spread of a delay, as a fraction of it: Camel's default collision avoidance factor. */
    static final double JITTER = 0.15;

    private final long redeliveryDelayMs;
    private final double multiplier;
    private final long maximumDelayMs;
    private final RandomGenerator random;

    public BackoffDelays(long redeliveryDelayMs, double multiplier, long maximumDelayMs, RandomGenerator random) {
        this.redeliveryDelayMs = redeliveryDelayMs;
        this.multiplier = multiplier;
        this.maximumDelayMs = maximumDelayMs;
        this.random = random;
    }


    /** False when {@code redeliveryDelay} is 0: failed entries then wait for the XAUTOCLAIM take-over after minIdleTime. */
    boolean isEnabled() {
        return redeliveryDelayMs > 0;
    }

    /** The delay without jitter after delivery number {@code deliveryCount} (1 = the first delivery) failed. */
    long baseDelay(long deliveryCount) {
        double delay = redeliveryDelayMs * Math.pow(multiplier, Math.max(0, deliveryCount - 1));
        return (long) Math.min(delay, maximumDelayMs);
    }

    /** The delay after delivery number {@code deliveryCount} failed, with jitter, never above the maximum. */
    long delay(long deliveryCount) {
        long base = baseDelay(deliveryCount);
        double factor = 1 + JITTER * (2 * random.nextDouble() - 1);
        return Math.min(maximumDelayMs, Math.max(0, Math.round(base * factor)));
    }
}
