package io.streamroutes.component.redisstreams.consumer.errorhandler;

import io.streamroutes.component.redisstreams.RedisStreamsReplicasNotConfirmedException;
import java.util.function.LongSupplier;

import org.apache.camel.util.ObjectHelper;
import io.streamroutes.component.redisstreams.RedisStreamsStatistics;
import io.streamroutes.component.redisstreams.client.DeadLetterEntry;
import io.streamroutes.component.redisstreams.client.StreamEntry;
import io.streamroutes.component.redisstreams.client.StreamGroup;
import io.streamroutes.component.redisstreams.consumer.support.Bookkeeping;
import io.streamroutes.component.redisstreams.consumer.support.OutcomeQueue;
import io.streamroutes.component.redisstreams.consumer.support.RetryQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out what the {@link DeliveryPolicy} decides for an entry whose exchange failed: a dead letter (queued in the
 * {@link OutcomeQueue}), a retry at a time (waiting in the {@link RetryQueue}, with a pause of the consumer when the called
 * system asked for one), or leaving it pending for the XAUTOCLAIM take-over. Called from exchanges' threads.
 */
public final class FailedDelivery {

    private static final Logger LOG = LoggerFactory.getLogger(FailedDelivery.class);

    private final StreamGroup from;
    private final String key;
    private final DeliveryPolicy policy;
    private final OutcomeQueue acks;
    private final RetryQueue retries;
    private final ConsumerPause pause;
    private final RedisStreamsStatistics statistics;
    private final LongSupplier clock;

    public FailedDelivery(StreamGroup from, DeliveryPolicy policy, Bookkeeping books, ConsumerPause pause,
                          RedisStreamsStatistics statistics) {
        this.from = from;
        this.key = from.key();
        this.policy = policy;
        this.acks = books.acks();
        this.retries = books.retries();
        this.pause = pause;
        this.statistics = statistics;
        this.clock = books.clock();
    }

    /** An exchange completed: its writes, if any, were confirmed, so replicas are no longer missing. */
    public void succeeded() {
        pause.replicasConfirmed();
    }

    public DeliveryPolicy policy() {
        return policy;
    }

    public RedisStreamsStatistics statistics() {
        return statistics;
    }

    public void failed(StreamEntry entry, long deliveryCount, Throwable failure) {
        long now = clock.getAsLong();
        DeliveryPolicy.Outcome outcome = policy.onFailure(failure, deliveryCount, now);
        statistics.failed(outcome.reason());
        if (outcome instanceof DeliveryPolicy.DeadLetterIt deadLetter) {
            acks.deadLetter(DeadLetterEntry.of(entry, from, deliveryCount, deadLetter.reason()));
        } else if (outcome instanceof DeliveryPolicy.RetryAt retry) {
            if (retry.pauseUntilMillis() > 0) {
                pause.pauseUntil(retry.pauseUntilMillis(), retry.reason(),
                        ObjectHelper.getException(RedisStreamsReplicasNotConfirmedException.class, failure) != null);
            }
            retries.add(new RetryQueue.Retry(entry.id(), retry.atMillis(), deliveryCount, retry.keepCount()));
            LOG.debug("Entry {} of stream '{}' failed (delivery {}); retrying it in {} ms: {}", entry.id(), key, deliveryCount,
                    retry.atMillis() - now, retry.reason());
        } else if (((DeliveryPolicy.LeavePending) outcome).permanent()) {
            LOG.warn("Entry {} of stream '{}' failed permanently but no deadLetterStream is set; it stays pending: {}",
                    entry.id(), key, outcome.reason());
        } else {
            LOG.debug("Entry {} of stream '{}' failed (delivery {}); it stays pending for the XAUTOCLAIM take-over: {}",
                    entry.id(), key, deliveryCount, outcome.reason());
        }
    }
}
