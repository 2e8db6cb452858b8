package io.streamroutes.component.redisstreams.client;

import java.util.List;

/**
 * The summary form of XPENDING for a group: how many entries are pending and the smallest pending id (null when none
 * is). The oldest pending entry's age comes from that id's millisecond part, the time the entry was added: unlike its
 * idle time, it does not start again when the entry is delivered again.
 */
public record PendingSummary(long count, String oldestId) {

    public static final PendingSummary NONE = new PendingSummary(0, null);

    /** From the reply of {@code XPENDING key group}: count, smallest id, greatest id, consumers. */
    static PendingSummary of(List<?> reply) {
        long count = (Long) reply.get(0);
        return count == 0 ? NONE : new PendingSummary(count, RedisStreamsClient.string(reply.get(1)));
    }

    /**
     * How long ago the oldest pending entry was added, at {@code nowMillis} (epoch ms); 0 when nothing is pending, and
     * never below 0 (an id ahead of this process's clock, or one written with an explicit future time).
     */
    public long oldestAgeMillis(long nowMillis) {
        if (oldestId == null) {
            return 0;
        }
        long added = StreamId.parse(oldestId).millis();
        return Math.max(0, nowMillis - added);
    }
}
