package io.streamroutes.component.redisstreams.client;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Entries added for later delivery: they wait in Redis, in the sorted set {@link #key}, scored by their due time in
 * epoch milliseconds, each member a JSON array {@code ["<unique id>", "field", "value", ...]}. {@link #MOVE} adds the
 * due ones to the stream and removes them from the set in one atomic step, run by every consumer of the stream when an
 * entry is due (and only while the set exists), so an entry is delivered once whichever process moves it, survives restarts and failovers with the
 * data, and costs the application no memory while it waits. Any client can schedule one with one {@code ZADD}.
 */
public final class ScheduledEntries {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Due entries moved per step; a step that moved this many is followed by another at once. */
    public static final int MOVE_BATCH = 500;

    /**
     * KEYS[1] the sorted set, KEYS[2] the stream; ARGV[1] how many to move at most, ARGV[2] the stream's MAXLEN ~ (0 =
     * none). Uses the server's clock. A member that is not a JSON array of a unique id and field/value pairs is added
     * as an entry with the single field {@code x-scheduled-invalid} holding it, so that nothing vanishes unseen and the
     * route can dead-letter it. Returns how many were moved and how many ms until the next entry is due (0: due
     * already, -1: the set is empty).
     */
    static final LuaScript MOVE = LuaScript.of("""
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, tonumber(ARGV[1]))
            local maxlen = tonumber(ARGV[2])
            for _, member in ipairs(due) do
              local ok, entry = pcall(cjson.decode, member)
              local fields = {}
              if ok and type(entry) == 'table' and #entry >= 3 and #entry % 2 == 1 then
                for j = 2, #entry do
                  if type(entry[j]) ~= 'string' and type(entry[j]) ~= 'number' then fields = {} break end
                  fields[#fields + 1] = tostring(entry[j])
                end
              end
              if #fields == 0 then fields = {'x-scheduled-invalid', member} end
              if maxlen > 0 then
                redis.call('XADD', KEYS[2], 'MAXLEN', '~', maxlen, '*', unpack(fields))
              else
                redis.call('XADD', KEYS[2], '*', unpack(fields))
              end
              redis.call('ZREM', KEYS[1], member)
            end
            local first = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
            local untilNext = -1
            if #first == 2 then untilNext = math.max(0, math.ceil(tonumber(first[2]) - now)) end
            return {#due, untilNext}
            """);

    private ScheduledEntries() {
    }

    /**
     * The sorted set of {@code stream}'s scheduled entries: {@code <stream>:scheduled}, in the stream's Cluster slot
     * (a stream key with a hash tag keeps it, one without gets itself as the tag: {@code {<stream>}:scheduled}).
     */
    public static String key(String stream) {
        return (stream.contains("{") ? stream : "{" + stream + "}") + ":scheduled";
    }

    /** A member for the sorted set: a fresh unique id, then the fields and values (UTF-8 text). */
    static String member(List<byte[]> fieldsAndValues) {
        List<String> array = new ArrayList<>(fieldsAndValues.size() + 1);
        array.add(UUID.randomUUID().toString());
        for (byte[] b : fieldsAndValues) {
            array.add(new String(b, StandardCharsets.UTF_8));
        }
        try {
            return JSON.writeValueAsString(array);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** ZADD of one entry due at {@code dueAtMillis}. */
    public static void schedule(RedisStreamsClient client, String stream, long dueAtMillis, List<byte[]> fieldsAndValues) {
        String key = key(stream);
        client.exec(key, "ZADD", StreamReplies.bytes(key), StreamReplies.bytes(Long.toString(dueAtMillis)),
                StreamReplies.bytes(member(fieldsAndValues)));
    }

    /** What a move did: how many entries it added to the stream, and ms until the next is due (-1: none left). */
    public record Moved(long count, long untilNextDueMillis) {
    }

    /** Moves what is due to the stream. */
    public static Moved moveDue(RedisStreamsClient client, String stream, long maxLen) {
        List<?> reply = (List<?>) client.eval(MOVE, 2, key(stream), stream, Integer.toString(MOVE_BATCH), Long.toString(maxLen));
        return new Moved((Long) reply.get(0), (Long) reply.get(1));
    }

    /** True when entries are scheduled for {@code stream} (one O(1) EXISTS, no script). */
    public static boolean any(RedisStreamsClient client, String stream) {
        String key = key(stream);
        return (Long) client.exec(key, "EXISTS", StreamReplies.bytes(key)) > 0;
    }

    /** How many entries wait, and when the next is due (epoch ms, 0 when none). */
    public record Figures(long count, long nextDueAtMillis) {
    }

    public static Figures figures(RedisStreamsClient client, String stream) {
        String key = key(stream);
        long count = (Long) client.exec(key, "ZCARD", StreamReplies.bytes(key));
        List<?> first = (List<?>) client.exec(key, "ZRANGE", StreamReplies.bytes(key), StreamReplies.bytes("0"), StreamReplies.bytes("0"),
                StreamReplies.bytes("WITHSCORES"));
        long next = first == null || first.size() < 2 ? 0 : (long) Double.parseDouble(RedisStreamsClient.string(first.get(1)));
        return new Figures(count, next);
    }
}
