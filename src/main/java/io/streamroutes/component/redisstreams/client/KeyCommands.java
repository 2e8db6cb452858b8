package io.streamroutes.component.redisstreams.client;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import redis.clients.jedis.ConnectionPool;
import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.Protocol;

import static io.streamroutes.component.redisstreams.client.StreamReplies.bytes;
import static io.streamroutes.component.redisstreams.client.StreamReplies.string;

/** Questions about keys and streams as a whole: type, newest id, whether an entry exists, which keys match. */
final class KeyCommands {

    private static final byte[] COUNT = bytes("COUNT");

    private final CommandChannel client;

    KeyCommands(CommandChannel client) {
        this.client = client;
    }

    /** TYPE key: "none", "stream", "string", ... */
    String type(String key) {
        return string(client.exec(key, "TYPE", bytes(key)));
    }

    /** The id of the newest entry, or {@code 0-0} for an empty or missing stream. */
    String lastId(String key) {
        List<?> reply = (List<?>) client.exec(key, "XREVRANGE", bytes(key), bytes("+"), bytes("-"), COUNT, bytes("1"));
        if (reply == null || reply.isEmpty()) {
            return "0-0";
        }
        return string(((List<?>) reply.get(0)).get(0));
    }

    /** Whether the entry still exists in the stream (XRANGE key id id). */
    boolean exists(String key, String id) {
        List<?> reply = (List<?>) client.exec(key, "XRANGE", bytes(key), bytes(id), bytes(id), COUNT, bytes("1"));
        return reply != null && !reply.isEmpty();
    }

    /**
     * Names of the keys matching {@code pattern} (SCAN, a page at a time); on a Redis Cluster, of every node (a key
     * seen on a master and its replica is listed twice).
     */
    List<String> scanKeys(String pattern) {
        List<String> keys = new ArrayList<>();
        JedisCluster cluster = client.jedisCluster();
        if (cluster != null) {
            for (ConnectionPool pool : cluster.getClusterNodes().values()) {
                try (redis.clients.jedis.Connection node = pool.getResource()) {
                    scan(pattern, keys, args -> {
                        node.sendCommand(Protocol.Command.SCAN, args);
                        return node.getOne();
                    });
                }
            }
        } else {
            scan(pattern, keys, args -> client.exec(pattern, "SCAN", args));
        }
        return keys;
    }

    private static void scan(String pattern, List<String> keys, Function<byte[][], Object> call) {
        String cursor = "0";
        do {
            List<?> reply = (List<?>) call.apply(new byte[][] { bytes(cursor), bytes("MATCH"), bytes(pattern), COUNT, bytes("1000") });
            cursor = string(reply.get(0));
            for (Object key : (List<?>) reply.get(1)) {
                keys.add(string(key));
            }
        } while (!"0".equals(cursor));
    }
}
