package io.streamroutes.component.redisstreams;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.LongSupplier;

import org.apache.camel.Exchange;
import org.apache.camel.ExchangePropertyKey;

/**
 * Hands entries to the route, each taking a place of the {@link InFlightTracker}'s window: on the reading thread, or
 * with {@code concurrency} above 1 on the consumer's worker threads. A group entry's exchange carries an
 * {@link AcknowledgeCompletion}; an entry handed out but not processed (pool refused it, a pause began) waits for its
 * next delivery without using one up.
 */
final class EntryDispatcher {

    private final RedisStreamsConsumer consumer;
    private final RedisStreamsConfiguration config;
    private final String key;
    private final String group;
    private final String name;
    /** Where exchanges run when concurrency is above 1; null: on the calling thread. */
    private final Executor workers;
    private final InFlightTracker inFlight;
    private final RetryQueue retries;
    private final AckManager acks;
    private final FailedDelivery failures;
    private final DeliveryPolicy policy;
    private final LongSupplier clock;

    EntryDispatcher(RedisStreamsConsumer consumer, String name, Executor workers, InFlightTracker inFlight, RetryQueue retries,
                    AckManager acks, FailedDelivery failures, DeliveryPolicy policy, LongSupplier clock) {
        this.consumer = consumer;
        this.config = consumer.getEndpoint().getConfiguration();
        this.key = consumer.getEndpoint().getStreamKey();
        this.group = config.getGroup();
        this.name = name;
        this.workers = workers;
        this.inFlight = inFlight;
        this.retries = retries;
        this.acks = acks;
        this.failures = failures;
        this.policy = policy;
        this.clock = clock;
    }

    /** Entries of one read, each a first delivery. */
    void dispatchRead(List<StreamEntry> entries) {
        for (int i = 0; i < entries.size(); i++) {
            dispatch(entries.get(i), 1, i, entries.size());
        }
    }

    /**
     * Hands the entries out as one batch, except those whose earlier deliveries never completed (e.g. the process died
     * handling them) too often: those are dead-lettered.
     */
    void deliverOrDeadLetter(Redeliveries redeliveries) {
        List<StreamEntry> entries = redeliveries.entries();
        List<Integer> handOut = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            long count = redeliveries.deliveryCounts().get(i);
            if (policy.isExhausted(count)) {
                acks.deadLetter(DeadLetter.of(entries.get(i), key, group, count,
                        "delivered " + count + " times without completing (maxDeliveries=" + config.getMaxDeliveries() + ")"));
            } else {
                handOut.add(i);
            }
        }
        for (int i = 0; i < handOut.size(); i++) {
            int at = handOut.get(i);
            dispatch(entries.get(at), redeliveries.deliveryCounts().get(at), i, handOut.size());
        }
    }

    /** Hands one entry of a read to the route; {@code index} of {@code size} become the exchange's batch properties. */
    private void dispatch(StreamEntry entry, long deliveryCount, int index, int size) {
        inFlight.handOut(entry.id());
        if (workers == null) {
            process(entry, deliveryCount, index, size);
            return;
        }
        try {
            workers.execute(() -> process(entry, deliveryCount, index, size));
        } catch (RejectedExecutionException e) {
            // the pool is stopping (or its queue is full): tried again shortly
            putBack(entry, clock.getAsLong() + StreamReader.SHORT_BLOCK_MS, deliveryCount);
        }
    }

    /** An entry handed out but not processed: it stays pending and waits until {@code dueAt}, using up no delivery. */
    private void putBack(StreamEntry entry, long dueAt, long deliveryCount) {
        retries.add(new RetryQueue.Retry(entry.id(), dueAt, deliveryCount, true));
        inFlight.finished(entry.id());
    }

    private void process(StreamEntry entry, long deliveryCount, int index, int size) {
        ConsumerPause pause = consumer.getPause();
        if (group != null && pause.remainingMillis(clock.getAsLong()) > 0) {
            putBack(entry, pause.untilMillis(), deliveryCount); // handed out just before a pause began
            return;
        }
        Exchange exchange = consumer.createExchange(false);
        exchange.setIn(new RedisStreamsMessage(exchange, key, entry, deliveryCount, group, name));
        // as Camel's batch consumers (file, aws2-sqs) do: the place of this exchange among those of one read
        exchange.setProperty(ExchangePropertyKey.BATCH_INDEX, index);
        exchange.setProperty(ExchangePropertyKey.BATCH_SIZE, size);
        exchange.setProperty(ExchangePropertyKey.BATCH_COMPLETE, index == size - 1);
        if (group != null) {
            exchange.getExchangeExtension().addOnCompletion(new AcknowledgeCompletion(entry, deliveryCount, acks, failures));
        }
        consumer.getStatistics().delivered();
        try {
            consumer.getAsyncProcessor().process(exchange, doneSync -> {
                if (group == null && exchange.isFailed()) {
                    consumer.getStatistics().failed(DeadLetter.describe(exchange.getException()));
                }
                consumer.releaseExchange(exchange, false);
                inFlight.finished(entry.id());
            });
        } catch (RuntimeException e) {
            // the route could not even start processing: the entry stays pending and is retried
            consumer.getExceptionHandler().handleException("Error dispatching stream entry " + entry.id(), exchange, e);
            inFlight.finished(entry.id());
        }
    }
}
