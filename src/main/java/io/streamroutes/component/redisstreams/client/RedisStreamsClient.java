package io.streamroutes.component.redisstreams.client;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import io.streamroutes.component.redisstreams.RedisStreamsConfiguration;
import org.springframework.data.redis.connection.RedisClusterConnection;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.commands.ProtocolCommand;


/**
 * The stream commands the component needs, sent as raw commands over one Spring Data Redis connection. Raw commands
 * keep the hot path free of Spring's record conversion, support XAUTOCLAIM (which Spring Data Redis lacks) and let
 * replies with deleted entries through. Not thread-safe: one client per reading thread.
 */
public class RedisStreamsClient implements StreamCommands {

    private final RedisConnection connection;

    public RedisStreamsClient(RedisConnectionFactory factory) {
        this.connection = factory.getConnection();
    }

    @Override
    public boolean moveToDeadLetter(RedisStreamsConfiguration config, String key, DeadLetter deadLetter) {
        return DeadLetterMove.move(this, config, key, deadLetter);
    }

    /** XGROUP CREATE key group startId MKSTREAM; returns false when the group already existed. */
    public boolean createGroup(String key, String group, String startId) {
        return GroupCommands.createGroup(this, key, group, startId);
    }

    /** XGROUP CREATECONSUMER key group consumer (Redis 6.2+); nothing happens when the consumer exists. */
    public void createConsumer(String key, String group, String consumer) {
        GroupCommands.createConsumer(this, key, group, consumer);
    }

    /** TYPE key: "none", "stream", "string", ... */
    public String type(String key) {
        return KeyCommands.type(this, key);
    }

    /** XREADGROUP GROUP group consumer COUNT n [BLOCK ms] STREAMS key id. */
    public List<StreamEntry> readGroup(String key, String group, String consumer, int count, long blockMs, String id) {
        return StreamReads.readGroup(this, key, group, consumer, count, blockMs, id);
    }

    /** What {@link #ackThenReadGroup} returns: how many entries were acked, and the entries read. */
    public record AckedRead(long acked, List<StreamEntry> entries) {
    }

    /**
     * XACK of completed entries and the next XREADGROUP, pipelined in one round trip over the native Jedis connection
     * (standalone and Sentinel); elsewhere two calls. XACK runs first on the server, so the read's BLOCK does not delay
     * the acks.
     */
    public AckedRead ackThenReadGroup(String key, String group, Collection<String> ackIds, String consumer, int count, long blockMs,
                                      String id) {
        return StreamReads.ackThenReadGroup(this, key, group, ackIds, consumer, count, blockMs, id);
    }

    @Override
    public boolean canPipeline() {
        return singleNodeJedis() != null;
    }

    /** The Jedis client under a standalone or Sentinel connection (which can pipeline), or null on a Cluster. */
    Jedis singleNodeJedis() {
        return connection instanceof RedisClusterConnection || !(connection.getNativeConnection() instanceof Jedis jedis) ? null : jedis;
    }

    /** XREAD COUNT n [BLOCK ms] STREAMS key id. */
    public List<StreamEntry> read(String key, int count, long blockMs, String id) {
        return StreamReads.read(this, key, count, blockMs, id);
    }

    /** XACK key group id...; returns how many were pending and are now acked. */
    public long ack(String key, String group, Collection<String> ids) {
        return (Long) exec(key, "XACK", StreamReads.ackArgs(key, group, ids));
    }

    /** XAUTOCLAIM key group consumer minIdle cursor COUNT n, for Redis 6.2 and 7.x replies. */
    public AutoClaimResult autoClaim(String key, String group, String consumer, long minIdleMs, String cursor, int count) {
        return PendingCommands.autoClaim(this, key, group, consumer, minIdleMs, cursor, count);
    }

    /** How often the pending entry was delivered (XPENDING key group id id 1), 0 when it is not pending. */
    public long deliveryCount(String key, String group, String id) {
        return PendingCommands.deliveryCount(this, key, group, id);
    }

    /** Ids of the entries pending for one consumer (XPENDING key group - + count consumer), oldest first. */
    public List<String> pendingIds(String key, String group, String consumer, int count) {
        return pendingIds(key, group, consumer, "-", "+", count);
    }

    /** Ids of the entries pending for one consumer between two ids, inclusive, oldest first. */
    public List<String> pendingIds(String key, String group, String consumer, String fromId, String toId, int count) {
        return PendingCommands.pendingIds(this, key, group, consumer, fromId, toId, count);
    }

    /** One row of the extended XPENDING reply for one consumer. */
    public record PendingEntry(String id, long idleMillis, long deliveryCount) {
    }

    /** Entries pending for {@code consumer}, oldest first, after {@code afterId} (exclusive; null = from the start). */
    public List<PendingEntry> pendingOf(String key, String group, String consumer, String afterId, int count) {
        return PendingCommands.pendingOf(this, key, group, consumer, afterId, count);
    }

    /** What {@link #claimForRetry} returns: the entries claimed, and the ids found deleted (and acknowledged). */
    public record RetryClaim(List<StreamEntry> entries, List<String> deletedIds) {
    }

    /**
     * Claims entries that are still pending for {@code consumer} for their retry, in one atomic step; entries another
     * consumer took over meanwhile are left alone (they are in neither list). {@code retryCounts} per id: -1 counts
     * the retry as a new delivery, n keeps the delivery count at n.
     */
    public RetryClaim claimForRetry(String key, String group, String consumer, Map<String, Long> retryCounts) {
        return PendingCommands.claimForRetry(this, key, group, consumer, retryCounts);
    }

    /** Whether the entry still exists in the stream (XRANGE key id id). */
    public boolean exists(String key, String id) {
        return KeyCommands.exists(this, key, id);
    }

    /** XADD key [MAXLEN ~ maxLen] * field value ...; returns the new id. */
    public String add(String key, long maxLen, List<byte[]> fieldsAndValues) {
        return StreamWrites.add(this, key, maxLen, fieldsAndValues);
    }

    /** Adds several entries in order, as a whole where the connection allows ({@link StreamWrites#addAll}); returns their ids. */
    public List<String> addAll(String key, long maxLen, Collection<?> batch, StreamWrites.EntryFields fields) throws Exception {
        return StreamWrites.addAll(this, key, maxLen, batch, fields);
    }

    /**
     * WAIT numreplicas timeout on this client's connection: blocks until the replicas confirmed every write this
     * connection sent before, or the timeout passed; returns how many confirmed. Not on a Redis Cluster, where the
     * writes of this client may have used another pooled connection than the WAIT would.
     */
    public long waitForReplicas(String key, int replicas, long timeoutMs) {
        if (isCluster()) {
            throw new UnsupportedOperationException("WAIT after a write is not supported on a Redis Cluster connection");
        }
        Jedis jedis = singleNodeJedis();
        if (jedis == null) {
            return (Long) exec(key, "WAIT", bytes(Integer.toString(replicas)), bytes(Long.toString(timeoutMs)));
        }
        return StreamReads.withBlockTime(jedis, timeoutMs,
                socket -> (Long) exec(key, "WAIT", bytes(Integer.toString(replicas)), bytes(Long.toString(timeoutMs))));
    }

    /** Gives back entries {@code consumer} will not process ({@link PendingCommands#release}). */
    public void release(String key, String group, String consumer, List<String> ids, long idleMs) {
        PendingCommands.release(this, key, group, consumer, ids, idleMs);
    }

    /** Runs {@code script} by EVALSHA, sending its text on NOSCRIPT ({@link LuaScript#eval}). */
    public Object eval(LuaScript script, int keyCount, List<byte[]> keysAndArgs) {
        return script.eval(this, keyCount, keysAndArgs);
    }

    /** {@link #eval(LuaScript, int, List)} with text keys and arguments. */
    public Object eval(LuaScript script, int keyCount, String... keysAndArgs) {
        List<byte[]> raw = new ArrayList<>(keysAndArgs.length);
        for (String s : keysAndArgs) {
            raw.add(bytes(s));
        }
        return eval(script, keyCount, raw);
    }

    /** Names of the keys matching {@code pattern}, of every node on a Redis Cluster ({@link KeyCommands#scanKeys}). */
    public List<String> scanKeys(String pattern) {
        return KeyCommands.scanKeys(this, pattern);
    }

    /** The id of the newest entry, or {@code 0-0} for an empty or missing stream. */
    public String lastId(String key) {
        return KeyCommands.lastId(this, key);
    }

    /**
     * Sends any command. On a Redis Cluster the key picks the node (Spring's cluster {@code execute} would insert the
     * key as first argument, which does not fit XREADGROUP or EVAL, so the native cluster client is used).
     */
    public Object exec(String key, String command, byte[]... args) {
        if (connection instanceof RedisClusterConnection) {
            return clusterClient().sendCommand(bytes(key), protocolCommand(command), args);
        }
        return connection.execute(command, args);
    }

    UnifiedJedis clusterClient() {
        return (UnifiedJedis) connection.getNativeConnection();
    }

    static ProtocolCommand protocolCommand(String command) {
        byte[] raw = bytes(command);
        return () -> raw;
    }

    /** True when this client talks to a Redis Cluster. */
    public boolean isCluster() {
        return connection instanceof RedisClusterConnection;
    }

    /** The cluster client, or null when this client talks to a standalone or Sentinel Redis. */
    JedisCluster jedisCluster() {
        return connection instanceof RedisClusterConnection && clusterClient() instanceof JedisCluster cluster ? cluster : null;
    }

    /** Entries of an XRANGE-style reply. */
    static List<StreamEntry> entries(List<?> reply) {
        return StreamReplies.entries(reply);
    }

    public static byte[] bytes(String s) {
        return StreamReplies.bytes(s);
    }

    /** A bulk or status reply as UTF-8 text. */
    public static String string(Object reply) {
        return StreamReplies.string(reply);
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
