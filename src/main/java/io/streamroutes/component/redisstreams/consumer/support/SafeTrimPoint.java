package io.streamroutes.component.redisstreams.consumer.support;

import java.util.List;

import io.streamroutes.component.redisstreams.client.StreamId;

/**
 * Decides how far a stream may be trimmed ({@code XTRIM key MINID <id>} removes every entry with a smaller id) so that
 * only entries older than {@code trimAfter} that every consumer group has finished go: for each group, everything
 * before its oldest pending entry, or, with nothing pending, everything up to its last-delivered id. Entries a group
 * has not read yet come after its last-delivered id, so they are never below the result. No group: nothing is trimmed.
 */
final class SafeTrimPoint {

    /** What one group has finished: its last-delivered id, and its oldest pending id or null when nothing is pending. */
    record GroupProgress(String name, String lastDeliveredId, String oldestPendingId) {
    }

    private SafeTrimPoint() {
    }

    /**
     * The MINID to trim to, or null when nothing may be trimmed.
     *
     * @param nowMillis the clock's current time
     * @param trimAfterMillis entries must be at least this old (by the time in their id)
     */
    static String minId(List<GroupProgress> groups, long nowMillis, long trimAfterMillis) {
        if (groups.isEmpty() || trimAfterMillis <= 0) {
            return null;
        }
        long cutoff = nowMillis - trimAfterMillis;
        if (cutoff <= 0) {
            return null;
        }
        StreamId bound = new StreamId(cutoff, 0);
        for (GroupProgress group : groups) {
            StreamId finishedBelow = group.oldestPendingId() != null
                    ? StreamId.parse(group.oldestPendingId())
                    : StreamId.parse(group.lastDeliveredId()).next();
            if (finishedBelow.compareTo(bound) < 0) {
                bound = finishedBelow;
            }
        }
        return bound.millis() == 0 ? null : bound.toString(); // nothing below 1-0 exists
    }
}
