package io.streamroutes.component.redisstreams.consumer;

import java.util.List;

import io.streamroutes.component.redisstreams.client.StreamEntry;
import io.streamroutes.component.redisstreams.consumer.errorhandler.FailedDelivery;
import io.streamroutes.component.redisstreams.consumer.support.OutcomeQueue;

import org.apache.camel.Exchange;
import org.apache.camel.spi.Synchronization;

/**
 * The end of a batch's exchange ({@code batching=true}): each group entry's fate follows its own inner exchange when
 * the batch completed (an inner exchange with an exception is retried or dead-lettered by the {@link FailedDelivery},
 * the others are acked); when the batch's exchange failed, every entry failed with its exception.
 */
final class BatchCompletion implements Synchronization {

    private final List<StreamEntry> entries;
    private final List<Exchange> inner;
    private final long[] deliveryCounts;
    private final OutcomeQueue acks;
    private final FailedDelivery failures;

    BatchCompletion(List<StreamEntry> entries, List<Exchange> inner, long[] deliveryCounts, OutcomeQueue acks, FailedDelivery failures) {
        this.entries = entries;
        this.inner = inner;
        this.deliveryCounts = deliveryCounts;
        this.acks = acks;
        this.failures = failures;
    }

    @Override
    public void onComplete(Exchange batch) {
        for (int i = 0; i < entries.size(); i++) {
            Exception failure = inner.get(i).getException();
            if (failure == null) {
                acks.ack(entries.get(i).id());
            } else {
                failures.failed(entries.get(i), deliveryCounts[i], failure);
            }
        }
    }

    @Override
    public void onFailure(Exchange batch) {
        for (int i = 0; i < entries.size(); i++) {
            failures.failed(entries.get(i), deliveryCounts[i], batch.getException());
        }
    }
}
