package io.streamroutes.component.redisstreams.client;

import java.util.List;

/**
 * The reply of XAUTOCLAIM, normalised across Redis versions: Redis 6.2 answers {@code [cursor, entries]} with a
 * {@code nil} for each entry deleted while pending, Redis 7 answers {@code [cursor, entries, deletedIds]}.
 *
 * @param nextCursor where the next sweep continues; {@code 0-0} when the sweep is complete
 * @param entries    claimed entries that still exist
 * @param deletedIds ids that were pending but no longer exist in the stream
 * @param unnamedDeletions true when Redis 6.2 claimed deleted entries without naming them: they are now pending
 *                   for the claiming consumer and must be found with XPENDING
 */
public record AutoClaimResult(String nextCursor, List<StreamEntry> entries, List<String> deletedIds, boolean unnamedDeletions) {

    public boolean isSweepComplete() {
        return "0-0".equals(nextCursor);
    }
}
