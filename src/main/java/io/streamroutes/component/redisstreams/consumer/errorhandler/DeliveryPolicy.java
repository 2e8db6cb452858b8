package io.streamroutes.component.redisstreams.consumer.errorhandler;

import io.streamroutes.component.redisstreams.RedisStreamsNonRetryableException;
import io.streamroutes.component.redisstreams.RedisStreamsRetryAfterException;
import io.streamroutes.component.redisstreams.client.DeadLetterEntry;
import org.apache.camel.util.ObjectHelper;

/**
 * Decides the fate of an entry whose exchange failed, from the failure, how often the entry has been delivered and the
 * endpoint's settings: dead-letter it, retry it at a given time, or leave it pending for the XAUTOCLAIM take-over.
 * A pure function: no Redis, no clock of its own.
 */
public final class DeliveryPolicy {

    /** What happens to a failed entry. */
    sealed interface Outcome permits DeadLetterIt, RetryAt, LeavePending {
        /** The failure, as stored in {@code x-error} and shown as the last error. */
        String reason();
    }

    /** Move the entry to the dead-letter stream. */
    record DeadLetterIt(String reason) implements Outcome {
    }

    /**
     * Deliver the entry again at {@code atMillis}. With {@code keepCount} the new delivery keeps the entry's delivery
     * count (a Retry-After does not use up an attempt); {@code pauseUntilMillis} above 0 asks the consumer to hand out
     * no other entry until then.
     */
    record RetryAt(long atMillis, boolean keepCount, long pauseUntilMillis, String reason) implements Outcome {
    }

    /**
     * Leave the entry pending: another consumer's (or our own) XAUTOCLAIM takes it once idle for minIdleTime.
     * {@code permanent}: it can never succeed, but there is no dead-letter stream to move it to.
     */
    record LeavePending(String reason, boolean permanent) implements Outcome {
    }

    private final int maxDeliveries;
    private final boolean hasDeadLetterStream;
    private final BackoffDelays schedule;

    public DeliveryPolicy(int maxDeliveries, boolean hasDeadLetterStream, BackoffDelays schedule) {
        this.maxDeliveries = maxDeliveries;
        this.hasDeadLetterStream = hasDeadLetterStream;
        this.schedule = schedule;
    }

    /** Deliveries after which an entry that never completes is dead-lettered; 0: no limit. */
    public int maxDeliveries() {
        return maxDeliveries;
    }

    Outcome onFailure(Throwable failure, long deliveryCount, long nowMillis) {
        String reason = DeadLetterEntry.describe(failure);
        if (ObjectHelper.getException(RedisStreamsNonRetryableException.class, failure) != null) {
            return hasDeadLetterStream ? new DeadLetterIt(reason) : new LeavePending(reason, true);
        }
        RedisStreamsRetryAfterException retryAfter = ObjectHelper.getException(RedisStreamsRetryAfterException.class, failure);
        if (retryAfter != null) {
            // the called system asked us to wait: not a failed attempt, so it never exhausts maxDeliveries
            long at = nowMillis + retryAfter.getDelay().toMillis();
            return new RetryAt(at, true, at, reason);
        }
        if (maxDeliveries > 0 && deliveryCount >= maxDeliveries && hasDeadLetterStream) {
            return new DeadLetterIt(reason);
        }
        return schedule.isEnabled() ? new RetryAt(nowMillis + schedule.delay(deliveryCount), false, 0, reason) : new LeavePending(reason, false);
    }

    /** When an entry found pending for this consumer (after a restart or a lost reply) is due again. */
    public long dueAfterRestart(long deliveryCount, long idleMillis, long nowMillis) {
        return schedule.isEnabled() ? nowMillis + Math.max(0, schedule.delay(deliveryCount) - idleMillis) : nowMillis;
    }

    /** True when an entry delivered this often must not be tried again (it never completed, e.g. the process died). */
    public boolean isExhausted(long deliveryCount) {
        return maxDeliveries > 0 && deliveryCount > maxDeliveries && hasDeadLetterStream;
    }
}
