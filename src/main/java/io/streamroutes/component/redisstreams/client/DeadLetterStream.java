package io.streamroutes.component.redisstreams.client;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Operations on a dead-letter stream written by the consumer: list, requeue (back to the stream the entry came from,
 * without the {@code x-} fields the consumer added, atomically with its removal from the dead-letter stream) and purge.
 * Used by the JMX operations and the {@code dlq} command line alike.
 */
public final class DeadLetterStream {

    /** The fields the consumer adds; everything else is the original entry. */
    public static final Set<String> ADDED_FIELDS = Set.of(DeadLetterEntry.SOURCE_STREAM, DeadLetterEntry.SOURCE_ID, DeadLetterEntry.GROUP,
            DeadLetterEntry.DELIVERY_COUNT, DeadLetterEntry.ERROR, DeadLetterEntry.FAILED_AT);

    /** Moves one entry back: checks it is still there and still names that source, then XADD + XDEL in one step. */
    static final LuaScript REQUEUE_SCRIPT = LuaScript.of("""
            local e = redis.call('XRANGE', KEYS[1], ARGV[1], ARGV[1])
            if #e == 0 then return false end
            local fields = e[1][2]
            local out = {}
            local source = nil
            for i = 1, #fields, 2 do
              local f = fields[i]
              if f == 'x-source-stream' then source = fields[i + 1] end
              if not (f == 'x-source-stream' or f == 'x-source-id' or f == 'x-group' or f == 'x-delivery-count'
                      or f == 'x-error' or f == 'x-failed-at') then
                table.insert(out, f)
                table.insert(out, fields[i + 1])
              end
            end
            if source ~= KEYS[2] then return redis.error_reply('ERR dead letter ' .. ARGV[1] .. ' does not come from ' .. KEYS[2]) end
            if #out == 0 then return redis.error_reply('ERR dead letter ' .. ARGV[1] .. ' has no original fields') end
            local id = redis.call('XADD', KEYS[2], '*', unpack(out))
            redis.call('XDEL', KEYS[1], ARGV[1])
            return id
            """);

    static final LuaScript PURGE_SCRIPT = LuaScript.of("""
            local n = redis.call('XLEN', KEYS[1])
            redis.call('DEL', KEYS[1])
            return n
            """);

    private final RedisStreamsClient client;
    private final String key;

    public DeadLetterStream(RedisStreamsClient client, String key) {
        this.client = client;
        this.key = key;
    }

    public String key() {
        return key;
    }

    public long length() {
        return (Long) client.exec(key, "XLEN", RedisStreamsClient.bytes(key));
    }

    /** The oldest {@code max} dead letters. */
    public List<StreamEntry> list(int max) {
        List<?> reply = (List<?>) client.exec(key, "XRANGE", RedisStreamsClient.bytes(key), RedisStreamsClient.bytes("-"),
                RedisStreamsClient.bytes("+"), RedisStreamsClient.bytes("COUNT"), RedisStreamsClient.bytes(Integer.toString(max)));
        return RedisStreamsClient.entries(reply);
    }

    /**
     * Puts a dead letter back on its source stream as a new entry and removes it from the dead-letter stream.
     *
     * @return the new entry id on the source stream
     * @throws IllegalArgumentException when there is no such dead letter or it names no source stream
     */
    public String requeue(String id) {
        List<StreamEntry> found = RedisStreamsClient.entries((List<?>) client.exec(key, "XRANGE", RedisStreamsClient.bytes(key),
                RedisStreamsClient.bytes(id), RedisStreamsClient.bytes(id)));
        if (found.isEmpty()) {
            throw new IllegalArgumentException("No dead letter " + id + " in stream '" + key + "'");
        }
        String source = found.get(0).fields().get(DeadLetterEntry.SOURCE_STREAM);
        if (source == null) {
            throw new IllegalArgumentException("Dead letter " + id + " in '" + key + "' has no " + DeadLetterEntry.SOURCE_STREAM + " field");
        }
        Object newId = client.eval(REQUEUE_SCRIPT, 2, key, source, id);
        if (newId == null) {
            throw new IllegalArgumentException("No dead letter " + id + " in stream '" + key + "' (removed meanwhile)");
        }
        return RedisStreamsClient.string(newId);
    }

    /** Requeues every dead letter present when called; returns how many were moved. */
    public int requeueAll() {
        int moved = 0;
        List<StreamEntry> batch;
        String last = null;
        do {
            batch = list(100);
            for (StreamEntry e : batch) {
                if (e.id().equals(last)) {
                    continue;
                }
                requeue(e.id());
                moved++;
                last = e.id();
            }
        } while (!batch.isEmpty());
        return moved;
    }

    /** Deletes one dead letter; false when there was no such entry. */
    public boolean delete(String id) {
        return (Long) client.exec(key, "XDEL", RedisStreamsClient.bytes(key), RedisStreamsClient.bytes(id)) > 0;
    }

    /** Deletes the dead-letter stream; returns how many entries it had. */
    public long purge() {
        return (Long) client.eval(PURGE_SCRIPT, 1, key);
    }

    /** One line for a dead letter: id, where it came from, why it failed, and its original fields. */
    public static String describe(StreamEntry entry) {
        Map<String, String> f = entry.fields();
        StringBuilder original = new StringBuilder();
        f.forEach((k, v) -> {
            if (!ADDED_FIELDS.contains(k)) {
                original.append(original.length() == 0 ? "" : " ").append(k).append('=').append(v);
            }
        });
        return entry.id() + " from " + f.get(DeadLetterEntry.SOURCE_STREAM) + "/" + f.get(DeadLetterEntry.SOURCE_ID) + " deliveries="
               + f.get(DeadLetterEntry.DELIVERY_COUNT) + " failed-at=" + f.get(DeadLetterEntry.FAILED_AT) + " error=" + f.get(DeadLetterEntry.ERROR)
               + " fields: " + original;
    }
}
