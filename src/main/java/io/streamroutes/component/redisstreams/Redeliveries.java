package io.streamroutes.component.redisstreams;

import java.util.List;

/** Entries claimed again (a retry that came due, or an XAUTOCLAIM take-over), each with the delivery it now is. */
record Redeliveries(List<StreamEntry> entries, List<Long> deliveryCounts) {

    static final Redeliveries NONE = new Redeliveries(List.of(), List.of());
}
