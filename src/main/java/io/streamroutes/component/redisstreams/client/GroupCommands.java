package io.streamroutes.component.redisstreams.client;

import java.util.ArrayList;
import java.util.List;

import static io.streamroutes.component.redisstreams.client.StreamReplies.bytes;
import static io.streamroutes.component.redisstreams.client.StreamReplies.strings;

/** Set-up and hygiene of a consumer group: the group and consumer names it holds. */
public final class GroupCommands {

    private GroupCommands() {
    }

    /** XGROUP CREATE key group startId MKSTREAM; returns false when the group already existed. */
    static boolean createGroup(RedisStreamsClient client, String key, String group, String startId) {
        try {
            client.exec(key, "XGROUP", bytes("CREATE"), bytes(key), bytes(group), bytes(startId), bytes("MKSTREAM"));
            return true;
        } catch (RuntimeException e) {
            if (RedisErrors.hasCode(e, "BUSYGROUP")) {
                return false;
            }
            throw e;
        }
    }

    /** XGROUP CREATECONSUMER key group consumer (Redis 6.2+); nothing happens when the consumer exists. */
    static void createConsumer(RedisStreamsClient client, String key, String group, String consumer) {
        client.exec(key, "XGROUP", bytes("CREATECONSUMER"), bytes(key), bytes(group), bytes(consumer));
    }

    /**
     * Removes consumers idle longer than {@code idleMs} without pending entries, except {@code keep}, atomically
     * ({@link StreamScripts#REMOVE_IDLE_CONSUMERS_SCRIPT}); returns the removed names.
     */
    public static List<String> removeIdleConsumers(RedisStreamsClient client, String key, String group, long idleMs, List<String> keep) {
        List<byte[]> args = new ArrayList<>(keep.size() + 3);
        args.add(bytes(key));
        args.add(bytes(group));
        args.add(bytes(Long.toString(idleMs)));
        keep.forEach(name -> args.add(bytes(name)));
        return strings(client.eval(StreamScripts.REMOVE_IDLE_CONSUMERS_SCRIPT, 1, args));
    }
}
