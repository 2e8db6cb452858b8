package io.streamroutes.component.redisstreams.client;

import java.util.List;

/**
 * Monitoring figures of a stream and its group, read on demand (a few commands, never on the hot path).
 */
public final class StreamGroupInfo {

    /** Above this many undelivered entries, Redis 6.2 lag counting stops and reports the cap. */
    static final int LAG_COUNT_CAP = 100_000;

    private final RedisStreamsClient client;
    private final String key;
    private final String group;

    /** @param streamGroup the stream, and the group (null: stream figures only) */
    public StreamGroupInfo(RedisStreamsClient client, StreamGroup streamGroup) {
        this.client = client;
        this.key = streamGroup.key();
        this.group = streamGroup.group();
    }

    public long streamLength() {
        return (Long) client.exec(key, "XLEN", RedisStreamsClient.bytes(key));
    }

    /** Entries not yet delivered to the group: Redis 7 reports it; on 6.2 it is counted after last-delivered-id. */
    public long groupLag() {
        List<?> fields = groupFields();
        if (fields == null) {
            return -1;
        }
        Object lag = field(fields, "lag");
        if (lag instanceof Long l) {
            return l;
        }
        String lastDelivered = RedisStreamsClient.string(field(fields, "last-delivered-id"));
        long count = 0;
        String from = "(" + lastDelivered;
        while (count < LAG_COUNT_CAP) {
            List<?> page = (List<?>) client.exec(key, "XRANGE", RedisStreamsClient.bytes(key), RedisStreamsClient.bytes(from),
                    RedisStreamsClient.bytes("+"), RedisStreamsClient.bytes("COUNT"), RedisStreamsClient.bytes("1000"));
            if (page.isEmpty()) {
                break;
            }
            count += page.size();
            from = "(" + RedisStreamsClient.string(((List<?>) page.get(page.size() - 1)).get(0));
        }
        return Math.min(count, LAG_COUNT_CAP);
    }

    public long pendingCount() {
        return pendingSummary().count();
    }

    /** XPENDING's summary: how many entries are pending and the oldest one's id. */
    public PendingSummary pendingSummary() {
        return PendingSummary.of((List<?>) client.exec(key, "XPENDING", RedisStreamsClient.bytes(key), RedisStreamsClient.bytes(group)));
    }

    /** Idle time of the oldest pending entry, 0 when nothing is pending. */
    public long oldestPendingIdleMillis() {
        List<?> rows = (List<?>) client.exec(key, "XPENDING", RedisStreamsClient.bytes(key), RedisStreamsClient.bytes(group),
                RedisStreamsClient.bytes("-"), RedisStreamsClient.bytes("+"), RedisStreamsClient.bytes("1"));
        return rows.isEmpty() ? 0 : (Long) ((List<?>) rows.get(0)).get(2);
    }

    public int consumerCount() {
        return ((List<?>) client.exec(key, "XINFO", RedisStreamsClient.bytes("CONSUMERS"), RedisStreamsClient.bytes(key),
                RedisStreamsClient.bytes(group))).size();
    }

    private List<?> groupFields() {
        List<?> groups = (List<?>) client.exec(key, "XINFO", RedisStreamsClient.bytes("GROUPS"), RedisStreamsClient.bytes(key));
        for (Object g : groups) {
            List<?> fields = (List<?>) g;
            if (group.equals(RedisStreamsClient.string(field(fields, "name")))) {
                return fields;
            }
        }
        return null;
    }

    /** A field of a flat XINFO reply (name, value, name, value, ...), or null. */
    public static Object field(List<?> flat, String name) {
        for (int i = 0; i + 1 < flat.size(); i += 2) {
            if (name.equals(RedisStreamsClient.string(flat.get(i)))) {
                return flat.get(i + 1);
            }
        }
        return null;
    }
}
