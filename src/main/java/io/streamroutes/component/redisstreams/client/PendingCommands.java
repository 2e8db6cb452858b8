package io.streamroutes.component.redisstreams.client;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.streamroutes.component.redisstreams.client.StreamReplies.bytes;
import static io.streamroutes.component.redisstreams.client.StreamReplies.entries;
import static io.streamroutes.component.redisstreams.client.StreamReplies.entry;
import static io.streamroutes.component.redisstreams.client.StreamReplies.string;
import static io.streamroutes.component.redisstreams.client.StreamReplies.strings;

/**
 * Commands on a group's pending entries list: what is pending for whom (XPENDING), taking entries over (XAUTOCLAIM,
 * the retry claim), giving them back and keeping them from looking idle (XCLAIM).
 */
public final class PendingCommands {

    private static final byte[] COUNT = bytes("COUNT");

    private final CommandChannel client;

    PendingCommands(CommandChannel client) {
        this.client = client;
    }

    /** XAUTOCLAIM key group consumer minIdle cursor COUNT n, for Redis 6.2 and 7.x replies. */
    AutoClaimResult autoClaim(GroupConsumer consumer, long minIdleMs, String cursor, int count) {
        String key = consumer.key();
        List<?> reply = (List<?>) client.exec(key, "XAUTOCLAIM", bytes(key), bytes(consumer.group()), bytes(consumer.name()),
                bytes(Long.toString(minIdleMs)), bytes(cursor), COUNT, bytes(Integer.toString(count)));
        String next = string(reply.get(0));
        List<StreamEntry> claimed = new ArrayList<>();
        List<String> deleted = new ArrayList<>();
        boolean unnamedDeletions = false;
        for (Object item : (List<?>) reply.get(1)) {
            if (item == null) {
                unnamedDeletions = true; // Redis 6.2 claims a deleted entry and answers nil, without its id
                continue;
            }
            StreamEntry entry = entry(item);
            if (entry.isDeleted()) {
                deleted.add(entry.id());
            } else {
                claimed.add(entry);
            }
        }
        if (reply.size() > 2 && reply.get(2) instanceof List<?> ids) {
            deleted.addAll(strings(ids));
        }
        return new AutoClaimResult(next, claimed, deleted, unnamedDeletions);
    }

    /** How often the pending entry was delivered (XPENDING key group id id 1), 0 when it is not pending. */
    long deliveryCount(StreamGroup from, String id) {
        String key = from.key();
        String group = from.group();
        List<?> reply = (List<?>) client.exec(key, "XPENDING", bytes(key), bytes(group), bytes(id), bytes(id), bytes("1"));
        if (reply == null || reply.isEmpty()) {
            return 0;
        }
        return (Long) ((List<?>) reply.get(0)).get(3);
    }

    /** Ids of the entries pending for one consumer between two ids, inclusive, oldest first. */
    List<String> pendingIds(GroupConsumer consumer, String fromId, String toId, int count) {
        String key = consumer.key();
        List<?> reply = (List<?>) client.exec(key, "XPENDING", bytes(key), bytes(consumer.group()), bytes(fromId), bytes(toId),
                bytes(Integer.toString(count)), bytes(consumer.name()));
        List<String> ids = new ArrayList<>(reply.size());
        for (Object row : reply) {
            ids.add(string(((List<?>) row).get(0)));
        }
        return ids;
    }

    /** Entries pending for {@code consumer}, oldest first, after {@code afterId} (exclusive; null = from the start). */
    List<RedisStreamsClient.PendingEntry> pendingOf(GroupConsumer consumer, String afterId, int count) {
        String key = consumer.key();
        List<?> reply = (List<?>) client.exec(key, "XPENDING", bytes(key), bytes(consumer.group()),
                bytes(afterId == null ? "-" : "(" + afterId), bytes("+"), bytes(Integer.toString(count)), bytes(consumer.name()));
        List<RedisStreamsClient.PendingEntry> rows = new ArrayList<>(reply.size());
        for (Object item : reply) {
            List<?> row = (List<?>) item;
            rows.add(new RedisStreamsClient.PendingEntry(string(row.get(0)), (Long) row.get(2), (Long) row.get(3)));
        }
        return rows;
    }

    /** Claims entries still pending for {@code consumer} for their retry, atomically ({@link StreamScripts#RETRY_CLAIM_SCRIPT}). */
    RedisStreamsClient.RetryClaim claimForRetry(GroupConsumer consumer, Map<String, Long> retryCounts) {
        List<byte[]> args = keyGroupConsumer(consumer, retryCounts.size() * 2);
        retryCounts.forEach((id, count) -> {
            args.add(bytes(id));
            args.add(bytes(Long.toString(count)));
        });
        List<?> reply = (List<?>) StreamScripts.RETRY_CLAIM_SCRIPT.eval(client, 1, args);
        return new RedisStreamsClient.RetryClaim(entries((List<?>) reply.get(0)), strings(reply.get(1)));
    }

    /**
     * Gives back entries {@code consumer} was delivered but will not process: XCLAIM with IDLE {@code idleMs}, so that
     * other consumers' XAUTOCLAIM takes them at once, and RETRYCOUNT 0, so that the next delivery counts as the first.
     */
    void release(GroupConsumer consumer, List<String> ids, long idleMs) {
        List<byte[]> args = keyGroupConsumer(consumer, ids.size() + 7);
        args.add(bytes("0"));
        ids.forEach(id -> args.add(bytes(id)));
        args.add(bytes("IDLE"));
        args.add(bytes(Long.toString(idleMs)));
        args.add(bytes("RETRYCOUNT"));
        args.add(bytes("0"));
        args.add(bytes("JUSTID"));
        client.exec(consumer.key(), "XCLAIM", args.toArray(new byte[0][]));
    }

    /** Keeps the given entries of {@code consumer} from looking idle; returns how many were still its own. */
    long keepAlive(GroupConsumer consumer, List<String> ids) {
        List<byte[]> args = keyGroupConsumer(consumer, ids.size());
        ids.forEach(id -> args.add(bytes(id)));
        return (Long) StreamScripts.KEEP_ALIVE_SCRIPT.eval(client, 1, args);
    }

    private static List<byte[]> keyGroupConsumer(GroupConsumer consumer, int more) {
        List<byte[]> args = new ArrayList<>(more + 3);
        args.add(bytes(consumer.key()));
        args.add(bytes(consumer.group()));
        args.add(bytes(consumer.name()));
        return args;
    }
}
