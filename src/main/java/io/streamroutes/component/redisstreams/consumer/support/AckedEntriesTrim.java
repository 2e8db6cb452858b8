package io.streamroutes.component.redisstreams.consumer.support;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

import io.streamroutes.component.redisstreams.client.RedisStreamsClient;
import io.streamroutes.component.redisstreams.client.StreamGroupInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes entries of a stream that are older than {@code trimAcknowledgedAfter} and finished by every consumer group
 * ({@link SafeTrimPoint}), with {@code XTRIM key MINID}. Reading the groups and trimming are two commands: in
 * between a group can only move forward (read further, ack), so the trim point read stays safe; a group created or
 * moved back by hand in between may miss entries, as it would just after any trim.
 */
public final class AckedEntriesTrim {

    private static final Logger LOG = LoggerFactory.getLogger(AckedEntriesTrim.class);

    private final String key;
    private final long trimAfterMillis;
    private final LongSupplier clock;

    public AckedEntriesTrim(String key, long trimAfterMillis, LongSupplier clock) {
        this.key = key;
        this.trimAfterMillis = trimAfterMillis;
        this.clock = clock;
    }

    /** How often to trim: a tenth of the age, between 1 s and 1 min. */
    public static long interval(long trimAfterMillis) {
        return Math.max(1000, Math.min(60_000, trimAfterMillis / 10));
    }

    /** Trims once; returns how many entries were removed. */
    public long trim(RedisStreamsClient client) {
        String minId = SafeTrimPoint.minId(groups(client), clock.getAsLong(), trimAfterMillis);
        if (minId == null) {
            return 0;
        }
        long removed = (Long) client.exec(key, "XTRIM", RedisStreamsClient.bytes(key), RedisStreamsClient.bytes("MINID"),
                RedisStreamsClient.bytes(minId));
        if (removed > 0) {
            LOG.debug("Trimmed {} entries of stream '{}' below {} (finished by every group)", removed, key, minId);
        }
        return removed;
    }

    /** XINFO GROUPS and each group's oldest pending id (XPENDING summary). */
    private List<SafeTrimPoint.GroupProgress> groups(RedisStreamsClient client) {
        List<SafeTrimPoint.GroupProgress> result = new ArrayList<>();
        Object reply = client.exec(key, "XINFO", RedisStreamsClient.bytes("GROUPS"), RedisStreamsClient.bytes(key));
        for (Object g : (List<?>) reply) {
            List<?> fields = (List<?>) g;
            String name = RedisStreamsClient.string(StreamGroupInfo.field(fields, "name"));
            String lastDelivered = RedisStreamsClient.string(StreamGroupInfo.field(fields, "last-delivered-id"));
            List<?> summary = (List<?>) client.exec(key, "XPENDING", RedisStreamsClient.bytes(key), RedisStreamsClient.bytes(name));
            String oldestPending = (Long) summary.get(0) > 0 ? RedisStreamsClient.string(summary.get(1)) : null;
            result.add(new SafeTrimPoint.GroupProgress(name, lastDelivered, oldestPending));
        }
        return result;
    }
}
