package io.streamroutes.component.redisstreams.consumer;

import io.streamroutes.component.redisstreams.client.StreamEntry;
import io.streamroutes.component.redisstreams.consumer.errorhandler.FailedDelivery;
import io.streamroutes.component.redisstreams.consumer.support.OutcomeQueue;
import org.apache.camel.Exchange;
import org.apache.camel.spi.Synchronization;

/**
 * The end of one group entry's exchange: on completion its ack is queued (written with the reader's next read); on
 * failure the {@link FailedDelivery} decides between a retry, a dead letter and leaving it pending. Nothing is acked
 * before the exchange completed.
 */
public final class AckOnCompletion implements Synchronization {

    private final StreamEntry entry;
    private final long deliveryCount;
    private final OutcomeQueue acks;
    private final FailedDelivery failures;

    public AckOnCompletion(StreamEntry entry, long deliveryCount, OutcomeQueue acks, FailedDelivery failures) {
        this.entry = entry;
        this.deliveryCount = deliveryCount;
        this.acks = acks;
        this.failures = failures;
    }

    @Override
    public void onComplete(Exchange exchange) {
        acks.ack(entry.id());
        failures.succeeded();
    }

    @Override
    public void onFailure(Exchange exchange) {
        failures.failed(entry, deliveryCount, exchange.getException());
    }
}
