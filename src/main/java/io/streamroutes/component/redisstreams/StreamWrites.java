package io.streamroutes.component.redisstreams;

import java.util.ArrayList;
import java.util.List;

import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.exceptions.JedisDataException;

import static io.streamroutes.component.redisstreams.StreamReplies.bytes;
import static io.streamroutes.component.redisstreams.StreamReplies.string;

/** XADD, of one entry or of a batch added as a whole. */
final class StreamWrites {

    private StreamWrites() {
    }

    /** XADD key [MAXLEN ~ maxLen] * field value ...; returns the new id. */
    static String add(RedisStreamsClient client, String key, long maxLen, List<byte[]> fieldsAndValues) {
        return string(client.exec(key, "XADD", xaddArgs(key, maxLen, fieldsAndValues)));
    }

    /**
     * Adds several entries, in order, and returns their ids. Standalone and Sentinel: one {@code MULTI}, the XADDs and
     * {@code EXEC}, pipelined in one round trip, so the batch is added as a whole or not at all. Redis Cluster: one XADD
     * after the other (a failure can leave the first ones added).
     */
    static List<String> addAll(RedisStreamsClient client, String key, long maxLen, List<List<byte[]>> entries) {
        Jedis jedis = client.singleNodeJedis();
        List<String> ids = new ArrayList<>(entries.size());
        if (jedis == null) {
            for (List<byte[]> fields : entries) {
                ids.add(add(client, key, maxLen, fields));
            }
            return ids;
        }
        redis.clients.jedis.Connection socket = jedis.getConnection();
        socket.sendCommand(Protocol.Command.MULTI);
        for (List<byte[]> fields : entries) {
            socket.sendCommand(Protocol.Command.XADD, xaddArgs(key, maxLen, fields));
        }
        socket.sendCommand(Protocol.Command.EXEC);
        // every reply is read, errors included, so that the connection stays in step
        List<Object> replies = socket.getMany(entries.size() + 2);
        for (Object reply : replies) {
            if (reply instanceof JedisDataException queueError) {
                throw queueError; // refused while queuing: EXEC discarded the whole batch
            }
        }
        for (Object reply : (List<?>) replies.get(replies.size() - 1)) {
            if (reply instanceof JedisDataException execError) {
                throw execError; // failed when run (e.g. WRONGTYPE), which on one key fails every XADD alike
            }
            ids.add(string(reply));
        }
        return ids;
    }

    private static byte[][] xaddArgs(String key, long maxLen, List<byte[]> fieldsAndValues) {
        List<byte[]> args = new ArrayList<>(fieldsAndValues.size() + 5);
        args.add(bytes(key));
        if (maxLen > 0) {
            args.add(bytes("MAXLEN"));
            args.add(bytes("~"));
            args.add(bytes(Long.toString(maxLen)));
        }
        args.add(bytes("*"));
        args.addAll(fieldsAndValues);
        return args.toArray(new byte[0][]);
    }
}
