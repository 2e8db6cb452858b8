package io.streamroutes.component.redisstreams.consumer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.LongSupplier;

import io.streamroutes.component.redisstreams.RedisStreamsStatistics;
import io.streamroutes.component.redisstreams.client.DeadLetterEntry;
import io.streamroutes.component.redisstreams.client.GroupConsumer;
import io.streamroutes.component.redisstreams.client.StreamEntry;
import io.streamroutes.component.redisstreams.client.UnconfirmedWrites;
import io.streamroutes.component.redisstreams.consumer.errorhandler.ClaimedEntries;
import io.streamroutes.component.redisstreams.consumer.errorhandler.ConsumerPause;
import io.streamroutes.component.redisstreams.consumer.errorhandler.DeliveryPolicy;
import io.streamroutes.component.redisstreams.consumer.errorhandler.FailedDelivery;
import io.streamroutes.component.redisstreams.consumer.support.Bookkeeping;
import io.streamroutes.component.redisstreams.consumer.support.EntryMdc;
import io.streamroutes.component.redisstreams.consumer.support.FieldNames;
import io.streamroutes.component.redisstreams.consumer.support.InFlightTracker;
import io.streamroutes.component.redisstreams.consumer.support.OutcomeQueue;
import io.streamroutes.component.redisstreams.consumer.support.PerKeyAdmission;
import io.streamroutes.component.redisstreams.consumer.support.RetryQueue;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePropertyKey;

/**
 * Hands entries to the route, each taking a place of the {@link InFlightTracker}'s window: on the reading thread, or
 * with {@code concurrency} above 1 on the consumer's worker threads. A group entry's exchange carries an
 * {@link AckOnCompletion}; with {@code batching=true} the entries of a read go as one exchange listing theirs, which
 * carries a {@link BatchCompletion}. An entry handed out but not processed (pool refused it, a pause began) waits for its
 * next delivery without using one up.
 */
final class EntryDispatcher {

    private final GroupConsumer reader;
    private final String group;
    private final EntryExchanges route;
    private final ConsumerPause pause;
    private final RedisStreamsStatistics statistics;
    /** Where exchanges run when concurrency is above 1; null: on the calling thread. */
    private final Executor workers;
    private final InFlightTracker inFlight;
    private final RetryQueue retries;
    private final OutcomeQueue acks;
    private final FailedDelivery failures;
    private final DeliveryPolicy policy;
    private final LongSupplier clock;
    private final FieldNames fieldNames = new FieldNames();
    private final PerKeyAdmission keys;

    /**
     * @param reader  the consumer this reader reads as; its group is null without a group
     * @param route   where entries go: their exchanges, the route, its ExceptionHandler
     * @param workers where exchanges run when concurrency is above 1; null: on the calling thread
     */
    EntryDispatcher(GroupConsumer reader, EntryExchanges route, Executor workers, Bookkeeping books, FailedDelivery failures,
                    ConsumerPause pause) {
        this.reader = reader;
        this.group = reader.group();
        this.route = route;
        this.workers = workers;
        this.inFlight = books.inFlight();
        this.retries = books.retries();
        this.acks = books.acks();
        this.failures = failures;
        this.policy = failures.policy();
        this.pause = pause;
        this.statistics = failures.statistics();
        this.clock = books.clock();
        this.keys = books.keys();
    }

    /** Entries of one read, held by the {@link InFlightTracker}, each a first delivery. */
    void dispatchRead(InFlightTracker.Held held) {
        int size = held.entries().size();
        if (route.isBatching()) {
            long[] counts = new long[size];
            Arrays.fill(counts, 1);
            dispatchBatch(held, counts);
            return;
        }
        try (EntryMdc mdc = readingThreadMdc()) {
            for (int i = 0; i < size; i++) {
                dispatch(held, i, 1, size, mdc);
            }
        }
    }

    /** The MDC of the entries processed on the reading thread, one after the other; null when they go to workers. */
    private EntryMdc readingThreadMdc() {
        return workers == null ? EntryMdc.of(reader.key()) : null;
    }

    /**
     * Hands the entries out as one batch, except those whose earlier deliveries never completed (e.g. the process died
     * handling them) too often: those are dead-lettered.
     */
    void deliverOrDeadLetter(ClaimedEntries redeliveries) {
        List<StreamEntry> entries = redeliveries.entries();
        List<StreamEntry> handOut = new ArrayList<>();
        List<Long> handOutCounts = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            long count = redeliveries.deliveryCounts().get(i);
            if (policy.isExhausted(count)) {
                keys.finished(entries.get(i).id());
                acks.deadLetter(DeadLetterEntry.of(entries.get(i), reader.streamGroup(), count,
                        "delivered " + count + " times without completing (maxDeliveries=" + policy.maxDeliveries() + ")"));
            } else {
                handOut.add(entries.get(i));
                handOutCounts.add(count);
            }
        }
        InFlightTracker.Held held = inFlight.hold(handOut);
        if (route.isBatching()) {
            dispatchBatch(held, handOutCounts.stream().mapToLong(Long::longValue).toArray());
            return;
        }
        try (EntryMdc mdc = readingThreadMdc()) {
            for (int i = 0; i < handOut.size(); i++) {
                dispatch(held, i, handOutCounts.get(i), handOut.size(), mdc);
            }
        }
    }

    /**
     * Hands entry {@code index} of a held batch of {@code size} to the route; index and size become batch properties.
     * {@code mdc}: the reading thread's, or null on a worker thread, which sets its own.
     */
    private void dispatch(InFlightTracker.Held held, int index, long deliveryCount, int size, EntryMdc mdc) {
        inFlight.handOut();
        if (workers == null) {
            process(held, index, deliveryCount, size, mdc);
            return;
        }
        try {
            workers.execute(() -> {
                try (EntryMdc own = EntryMdc.of(reader.key())) {
                    process(held, index, deliveryCount, size, own);
                }
            });
        } catch (RejectedExecutionException e) {
            // the pool is stopping (or its queue is full): tried again shortly
            putBack(held, index, clock.getAsLong() + StreamReader.SHORT_BLOCK_MS, deliveryCount);
        }
    }

    /** An entry handed out but not processed: it stays pending and waits until {@code dueAt}, using up no delivery. */
    private void putBack(InFlightTracker.Held held, int index, long dueAt, long deliveryCount) {
        String id = held.entries().get(index).id();
        retries.add(new RetryQueue.Retry(id, dueAt, deliveryCount, true));
        keys.finished(id); // its key's slot goes to the next waiting entry; this one asks again when due
        inFlight.finished(held, index);
    }

    private void process(InFlightTracker.Held held, int index, long deliveryCount, int size, EntryMdc mdc) {
        StreamEntry entry = held.entries().get(index);
        mdc.entry(entry.id());
        if (group != null && pause.remainingMillis(clock.getAsLong()) > 0) {
            putBack(held, index, pause.untilMillis(), deliveryCount); // handed out just before a pause began
            return;
        }
        Exchange exchange = null;
        try {
            exchange = route.createExchange(reader, entry, fieldNames.decode(entry), deliveryCount);
            // A pooled exchange (camel.main.exchange-factory = pooled) keeps the failure-handled mark of its last use:
            // Camel 4.17's ExtendedExchangeExtension.reset() does not clear it, and RedeliveryErrorHandler takes a
            // failure on an exchange so marked as handled already (no onException, no "Failed delivery" line).
            exchange.getExchangeExtension().setFailureHandled(false);
            // as Camel's batch consumers (file, aws2-sqs) do: the place of this exchange among those of one read
            exchange.setProperty(ExchangePropertyKey.BATCH_INDEX, index);
            exchange.setProperty(ExchangePropertyKey.BATCH_SIZE, size);
            exchange.setProperty(ExchangePropertyKey.BATCH_COMPLETE, index == size - 1);
            if (group != null) {
                if (UnconfirmedWrites.isSourceWanted()) {
                    exchange.setProperty(UnconfirmedWrites.SOURCE_PROPERTY, new UnconfirmedWrites.SourceEntry(reader.key(), group, entry.id()));
                }
                exchange.getExchangeExtension().addOnCompletion(new AckOnCompletion(entry, deliveryCount, acks, failures));
            }
            statistics.delivered();
            Exchange started = exchange;
            route.getAsyncProcessor().process(started, doneSync -> {
                if (group == null && started.isFailed()) {
                    statistics.failed(DeadLetterEntry.describe(started.getException()));
                }
                finished(held, index, started);
            });
        } catch (RuntimeException e) {
            // The route could not even start processing (the exchange could not be built, or the processor threw).
            // As for a process that died holding it, a group entry stays pending, unacked, and the XAUTOCLAIM
            // take-over delivers it again after minIdleTime, counting a delivery: an entry that always fails this way
            // is dead-lettered by maxDeliveries instead of looping (a put-back keeping its count would spin). Without
            // a group nothing is pending: the entry is only reported. Either way its place is freed: the reader goes on.
            try {
                route.getExceptionHandler().handleException("Error dispatching stream entry " + entry.id(), exchange, e);
            } finally {
                finished(held, index, exchange);
            }
        }
    }

    /**
     * {@code batching=true}: the held entries as one exchange whose body lists one inner exchange per entry, taking a
     * place per entry; on a worker thread with {@code concurrency} above 1.
     */
    private void dispatchBatch(InFlightTracker.Held held, long[] deliveryCounts) {
        int size = held.entries().size();
        if (size == 0) {
            return;
        }
        inFlight.handOut(size);
        if (workers == null) {
            processBatch(held, deliveryCounts);
            return;
        }
        try {
            workers.execute(() -> processBatch(held, deliveryCounts));
        } catch (RejectedExecutionException e) {
            putBackAll(held, clock.getAsLong() + StreamReader.SHORT_BLOCK_MS, deliveryCounts);
        }
    }

    private void putBackAll(InFlightTracker.Held held, long dueAt, long[] deliveryCounts) {
        for (int i = 0; i < deliveryCounts.length; i++) {
            putBack(held, i, dueAt, deliveryCounts[i]);
        }
    }

    private void processBatch(InFlightTracker.Held held, long[] deliveryCounts) {
        List<StreamEntry> entries = held.entries();
        int size = entries.size();
        if (group != null && pause.remainingMillis(clock.getAsLong()) > 0) {
            putBackAll(held, pause.untilMillis(), deliveryCounts);
            return;
        }
        Exchange batch = null;
        try {
            List<Exchange> inner = new ArrayList<>(size);
            for (int i = 0; i < size; i++) {
                Exchange exchange = route.createExchange(reader, entries.get(i), fieldNames.decode(entries.get(i)), deliveryCounts[i]);
                exchange.setProperty(ExchangePropertyKey.BATCH_INDEX, i);
                exchange.setProperty(ExchangePropertyKey.BATCH_SIZE, size);
                exchange.setProperty(ExchangePropertyKey.BATCH_COMPLETE, i == size - 1);
                inner.add(exchange);
            }
            batch = route.createBatchExchange(reader, inner);
            batch.getExchangeExtension().setFailureHandled(false); // see process(): pooled exchanges keep the mark
            if (group != null) {
                batch.getExchangeExtension().addOnCompletion(new BatchCompletion(entries, inner, deliveryCounts, acks, failures));
            }
            statistics.delivered(size);
            Exchange started = batch;
            try (EntryMdc mdc = EntryMdc.ofBatch(reader.key(), entries.get(0).id(), entries.get(size - 1).id())) {
                route.getAsyncProcessor().process(started, doneSync -> {
                    if (group == null) {
                        countPlainFailures(started, inner);
                    }
                    finishedAll(held, started);
                });
            }
        } catch (RuntimeException e) {
            // as in process(): the entries stay pending for the XAUTOCLAIM take-over, which counts a delivery
            try {
                route.getExceptionHandler().handleException("Error dispatching a batch of " + size + " stream entries from "
                                                            + entries.get(0).id(), batch, e);
            } finally {
                finishedAll(held, batch);
            }
        }
    }

    /** Without a group nothing is retried: failures are only counted, one per failed entry. */
    private void countPlainFailures(Exchange batch, List<Exchange> inner) {
        for (Exchange exchange : inner) {
            Exception failure = batch.isFailed() ? batch.getException() : exchange.getException();
            if (failure != null) {
                statistics.failed(DeadLetterEntry.describe(failure));
            }
        }
    }

    private void finishedAll(InFlightTracker.Held held, Exchange batch) {
        if (inFlight.finishedAll(held) > 0 && batch != null) {
            route.releaseExchange(batch, false);
        }
    }

    /** Frees the entry's place and releases its exchange (if one was built), once, however often it is called. */
    private void finished(InFlightTracker.Held held, int index, Exchange exchange) {
        // the key's lease first: once the place is free the reader may look for a waiting entry it was handed to
        keys.finished(held.entries().get(index).id());
        if (inFlight.finished(held, index) && exchange != null) {
            route.releaseExchange(exchange, false);
        }
    }
}
