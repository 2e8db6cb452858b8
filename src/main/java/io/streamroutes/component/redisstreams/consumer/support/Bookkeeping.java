package io.streamroutes.component.redisstreams.consumer.support;

import java.util.function.LongSupplier;

/**
 * The books one reader's parts share: the entries held (the in-flight window), the entries waiting for their next
 * delivery, the acks and dead letters not yet written, the per-key limit's leases and waiting entries, and the clock
 * they are kept by.
 */
public record Bookkeeping(InFlightTracker inFlight, RetryQueue retries, OutcomeQueue acks, LongSupplier clock, PerKeyAdmission keys) {

    /** Without a per-key limit. */
    public Bookkeeping(InFlightTracker inFlight, RetryQueue retries, OutcomeQueue acks, LongSupplier clock) {
        this(inFlight, retries, acks, clock, PerKeyAdmission.off());
    }
}
