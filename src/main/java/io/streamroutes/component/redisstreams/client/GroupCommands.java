package io.streamroutes.component.redisstreams.client;

import java.util.ArrayList;
import java.util.List;

import static io.streamroutes.component.redisstreams.client.StreamReplies.bytes;
import static io.streamroutes.component.redisstreams.client.StreamReplies.strings;

/** Set-up and hygiene of a consumer group: the group and consumer names it holds. */
public final class GroupCommands {

    private final CommandChannel client;

    GroupCommands(CommandChannel client) {
        this.client = client;
    }

    /** XGROUP CREATE key group startId MKSTREAM; returns false when the group already existed. */
    boolean createGroup(StreamGroup streamGroup, String startId) {
        String key = streamGroup.key();
        String group = streamGroup.group();
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
    void createConsumer(GroupConsumer consumer) {
        String key = consumer.key();
        client.exec(key, "XGROUP", bytes("CREATECONSUMER"), bytes(key), bytes(consumer.group()), bytes(consumer.name()));
    }

    /**
     * Removes consumers idle longer than {@code idleMs} without pending entries, except {@code keep}, atomically
     * ({@link StreamScripts#REMOVE_IDLE_CONSUMERS_SCRIPT}); returns the removed names.
     */
    List<String> removeIdleConsumers(StreamGroup streamGroup, long idleMs, List<String> keep) {
        List<byte[]> args = new ArrayList<>(keep.size() + 3);
        args.add(bytes(streamGroup.key()));
        args.add(bytes(streamGroup.group()));
        args.add(bytes(Long.toString(idleMs)));
        keep.forEach(name -> args.add(bytes(name)));
        return strings(StreamScripts.REMOVE_IDLE_CONSUMERS_SCRIPT.eval(client, 1, args));
    }
}
