package io.streamroutes.component.redisstreams.consumer.errorhandler;

import java.util.List;

import io.streamroutes.component.redisstreams.client.StreamEntry;

/** Entries claimed again (a retry that came due, or an XAUTOCLAIM take-over), each with the delivery it now is. */
public record Redeliveries(List<StreamEntry> entries, List<Long> deliveryCounts) {

    public static final Redeliveries NONE = new Redeliveries(List.of(), List.of());
}
