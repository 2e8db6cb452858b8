package io.streamroutes.component.redisstreams.client;

import java.util.function.Function;

import org.springframework.data.redis.connection.RedisClusterConnection;
import org.springframework.data.redis.connection.RedisConnection;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.commands.ProtocolCommand;

import static io.streamroutes.component.redisstreams.client.StreamReplies.bytes;

/**
 * One Redis connection as the command groups use it: sends a command (to the node of a key on a Cluster), and tells
 * a single node (pipelining, socket timeouts) from a Cluster. The bottom of the command layer: it calls nothing above.
 */
final class CommandChannel implements AutoCloseable {

    private final RedisConnection connection;

    CommandChannel(RedisConnection connection) {
        this.connection = connection;
    }

    Object exec(String key, String command, byte[]... args) {
        if (connection instanceof RedisClusterConnection) {
            return clusterClient().sendCommand(bytes(key), protocolCommand(command), args);
        }
        return connection.execute(command, args);
    }

    boolean isCluster() {
        return connection instanceof RedisClusterConnection;
    }

    /** The Jedis of a standalone or Sentinel connection; null on a Cluster. */
    Jedis singleNodeJedis() {
        return connection instanceof RedisClusterConnection || !(connection.getNativeConnection() instanceof Jedis jedis) ? null : jedis;
    }

    UnifiedJedis clusterClient() {
        return (UnifiedJedis) connection.getNativeConnection();
    }

    JedisCluster jedisCluster() {
        return connection instanceof RedisClusterConnection && clusterClient() instanceof JedisCluster cluster ? cluster : null;
    }

    static ProtocolCommand protocolCommand(String command) {
        byte[] raw = bytes(command);
        return () -> raw;
    }

    /** Runs {@code call} with the socket timeout raised by {@code blockMs}, so a blocking command is not cut short. */
    static <T> T withBlockTime(Jedis jedis, long blockMs, Function<redis.clients.jedis.Connection, T> call) {
        redis.clients.jedis.Connection socket = jedis.getConnection();
        int original = socket.getSoTimeout();
        boolean raise = blockMs > 0 && original != 0;
        if (raise) {
            socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, original + blockMs));
        }
        try {
            return call.apply(socket);
        } finally {
            if (raise && !socket.isBroken()) {
                socket.setSoTimeout(original);
            }
        }
    }

    /** WAIT replicas timeoutMs: how many replicas confirmed the writes sent on this connection so far. */
    long waitForReplicas(String key, int replicas, long timeoutMs) {
        if (isCluster()) {
            throw new UnsupportedOperationException("WAIT after a write is not supported on a Redis Cluster connection");
        }
        Jedis jedis = singleNodeJedis();
        if (jedis == null) {
            return (Long) exec(key, "WAIT", bytes(Integer.toString(replicas)), bytes(Long.toString(timeoutMs)));
        }
        return withBlockTime(jedis, timeoutMs,
                socket -> (Long) exec(key, "WAIT", bytes(Integer.toString(replicas)), bytes(Long.toString(timeoutMs))));
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (RuntimeException e) {
            // a broken connection cannot be closed cleanly; the pool discards it
        }
    }
}
