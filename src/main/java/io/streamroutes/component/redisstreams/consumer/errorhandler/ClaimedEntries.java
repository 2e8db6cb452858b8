package io.streamroutes.component.redisstreams.consumer.errorhandler;

import java.util.List;

import io.streamroutes.component.redisstreams.client.StreamEntry;

/** Entries claimed again (a retry that came due, or an XAUTOCLAIM take-over), each with the delivery it now is. */
public record ClaimedEntries(List<StreamEntry> entries, List<Long> deliveryCounts) {

    public static final ClaimedEntries NONE = new ClaimedEntries(List.of(), List.of());
}
