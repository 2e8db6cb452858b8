package io.streamroutes.component.redisstreams.consumer.support;

import java.util.function.LongSupplier;

/**
 * The books one reader's parts share: the entries held (the in-flight window), the entries waiting for their next
 * delivery, the acks and dead letters not yet written, and the clock they are kept by.
 */
public record Bookkeeping(InFlightTracker inFlight, RetryQueue retries, OutcomeQueue acks, LongSupplier clock) {
}
