package io.streamroutes.component.redisstreams.client;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * The stream commands the component needs, sent as raw commands over one Spring Data Redis connection. Raw commands
 * keep the hot path free of Spring's record conversion, support XAUTOCLAIM (which Spring Data Redis lacks) and let
 * replies with deleted entries through. Not thread-safe: one client per reading thread.
 */
public class RedisStreamsClient implements StreamCommands {

    private final CommandChannel channel;
    private final StreamReads reads;
    private final StreamWrites writes;
    private final GroupCommands groups;
    private final PendingCommands pending;
    private final KeyCommands keys;
    private final DeadLetterMove deadLetterMove;

    public RedisStreamsClient(RedisConnectionFactory factory) {
        this.channel = new CommandChannel(factory.getConnection());
        this.reads = new StreamReads(channel);
        this.writes = new StreamWrites(channel);
        this.groups = new GroupCommands(channel);
        this.pending = new PendingCommands(channel);
        this.keys = new KeyCommands(channel);
        this.deadLetterMove = new DeadLetterMove(channel, writes, reads);
    }

    @Override
    public boolean moveToDeadLetter(DeadLetterTarget target, StreamGroup from, DeadLetterEntry deadLetter) {
        return deadLetterMove.move(target, from, deadLetter);
    }

    /** XGROUP CREATE key group startId MKSTREAM; returns false when the group already existed. */
    public boolean createGroup(StreamGroup streamGroup, String startId) {
        return groups.createGroup(streamGroup, startId);
    }

    /** XGROUP CREATECONSUMER key group consumer (Redis 6.2+); nothing happens when the consumer exists. */
    public void createConsumer(GroupConsumer consumer) {
        groups.createConsumer(consumer);
    }

    /** TYPE key: "none", "stream", "string", ... */
    public String type(String key) {
        return keys.type(key);
    }

    /** XREADGROUP GROUP group consumer COUNT n [BLOCK ms] STREAMS key id. */
    public List<StreamEntry> readGroup(GroupConsumer consumer, int count, long blockMs, String id) {
        return reads.readGroup(consumer, count, blockMs, id);
    }

    /** What {@link #ackThenReadGroup} returns: how many entries were acked, and the entries read. */
    public record AckedRead(long acked, List<StreamEntry> entries) {
    }

    /**
     * XACK of completed entries and the next XREADGROUP, pipelined in one round trip over the native Jedis connection
     * (standalone and Sentinel); elsewhere two calls. XACK runs first on the server, so the read's BLOCK does not delay
     * the acks.
     */
    public AckedRead ackThenReadGroup(GroupConsumer consumer, Collection<String> ackIds, int count, long blockMs, String id) {
        return reads.ackThenReadGroup(consumer, ackIds, count, blockMs, id);
    }

    @Override
    public boolean sendAckThenReadGroup(GroupConsumer consumer, Collection<String> ackIds, int count) {
        return reads.sendAckThenReadGroup(consumer, ackIds, count);
    }

    @Override
    public AckedRead receiveAckedRead(boolean withAck) {
        return reads.receiveAckedRead(withAck);
    }

    @Override
    public boolean canPipeline() {
        return channel.singleNodeJedis() != null;
    }

    /** XREAD COUNT n [BLOCK ms] STREAMS key id. */
    public List<StreamEntry> read(String key, int count, long blockMs, String id) {
        return reads.read(key, count, blockMs, id);
    }

    /** XACK key group id...; returns how many were pending and are now acked. */
    public long ack(StreamGroup from, Collection<String> ids) {
        return reads.ack(from, ids);
    }

    /** XAUTOCLAIM key group consumer minIdle cursor COUNT n, for Redis 6.2 and 7.x replies. */
    public AutoClaimResult autoClaim(GroupConsumer consumer, long minIdleMs, String cursor, int count) {
        return pending.autoClaim(consumer, minIdleMs, cursor, count);
    }

    /** How often the pending entry was delivered (XPENDING key group id id 1), 0 when it is not pending. */
    public long deliveryCount(StreamGroup from, String id) {
        return pending.deliveryCount(from, id);
    }

    /** Ids of the entries pending for one consumer (XPENDING key group - + count consumer), oldest first. */
    public List<String> pendingIds(GroupConsumer consumer, int count) {
        return pendingIds(consumer, "-", "+", count);
    }

    /** Ids of the entries pending for one consumer between two ids, inclusive, oldest first. */
    public List<String> pendingIds(GroupConsumer consumer, String fromId, String toId, int count) {
        return pending.pendingIds(consumer, fromId, toId, count);
    }

    /** One row of the extended XPENDING reply for one consumer. */
    public record PendingEntry(String id, long idleMillis, long deliveryCount) {
    }

    /** Entries pending for {@code consumer}, oldest first, after {@code afterId} (exclusive; null = from the start). */
    public List<PendingEntry> pendingOf(GroupConsumer consumer, String afterId, int count) {
        return pending.pendingOf(consumer, afterId, count);
    }

    /** What {@link #claimForRetry} returns: the entries claimed, and the ids found deleted (and acknowledged). */
    public record RetryClaim(List<StreamEntry> entries, List<String> deletedIds) {
    }

    /**
     * Claims entries that are still pending for {@code consumer} for their retry, in one atomic step; entries another
     * consumer took over meanwhile are left alone (they are in neither list). {@code retryCounts} per id: -1 counts
     * the retry as a new delivery, n keeps the delivery count at n.
     */
    public RetryClaim claimForRetry(GroupConsumer consumer, Map<String, Long> retryCounts) {
        return pending.claimForRetry(consumer, retryCounts);
    }

    /** Whether the entry still exists in the stream (XRANGE key id id). */
    public boolean exists(String key, String id) {
        return keys.exists(key, id);
    }

    /** XADD key [MAXLEN ~ maxLen] * field value ...; returns the new id. */
    public String add(String key, long maxLen, List<byte[]> fieldsAndValues) {
        return writes.add(key, maxLen, fieldsAndValues);
    }

    /** Adds several entries in order, as a whole where the connection allows ({@link StreamWrites#addAll}); returns their ids. */
    public List<String> addAll(String key, long maxLen, Collection<?> batch, StreamWrites.EntryFields fields) throws Exception {
        return writes.addAll(key, maxLen, batch, fields);
    }

    /** Adds several entries in order as pipelined XADDs, without a transaction ({@link StreamWrites#addAllPipelined}). */
    public List<String> addAllPipelined(String key, long maxLen, Collection<?> batch, StreamWrites.EntryFields fields) throws Exception {
        return writes.addAllPipelined(key, maxLen, batch, fields);
    }

    /**
     * Waits for the replicas {@code wait} asks for to confirm the writes sent on this connection so far (WAIT; not on a
     * Redis Cluster, where the writes may have used another pooled connection than the WAIT would).
     *
     * @param what the write, for the error message
     * @throws io.streamroutes.component.redisstreams.RedisStreamsReplicasNotConfirmedException when fewer confirmed in time
     */
    public void confirmReplicas(ReplicaWait wait, String key, String what) {
        wait.confirm(channel, key, what);
    }

    /** Gives back entries {@code consumer} will not process ({@link PendingCommands#release}). */
    public void release(GroupConsumer consumer, List<String> ids, long idleMs) {
        pending.release(consumer, ids, idleMs);
    }

    /** XCLAIM of the entries by their own consumer, resetting their idle time; returns how many were still its own. */
    public long keepAlive(GroupConsumer consumer, List<String> ids) {
        return pending.keepAlive(consumer, ids);
    }

    /** Removes consumers idle longer than {@code idleMs} without pending entries, except {@code keep}; returns their names. */
    public List<String> removeIdleConsumers(StreamGroup streamGroup, long idleMs, List<String> keep) {
        return groups.removeIdleConsumers(streamGroup, idleMs, keep);
    }

    /** Runs {@code script} by EVALSHA, sending its text on NOSCRIPT ({@link LuaScript#eval}). */
    public Object eval(LuaScript script, int keyCount, List<byte[]> keysAndArgs) {
        return script.eval(channel, keyCount, keysAndArgs);
    }

    /** {@link #eval(LuaScript, int, List)} with text keys and arguments. */
    @Override
    public Object eval(LuaScript script, int keyCount, String... keysAndArgs) {
        List<byte[]> raw = new ArrayList<>(keysAndArgs.length);
        for (String s : keysAndArgs) {
            raw.add(bytes(s));
        }
        return eval(script, keyCount, raw);
    }

    /** Names of the keys matching {@code pattern}, of every node on a Redis Cluster ({@link KeyCommands#scanKeys}). */
    public List<String> scanKeys(String pattern) {
        return keys.scanKeys(pattern);
    }

    /** The id of the newest entry, or {@code 0-0} for an empty or missing stream. */
    public String lastId(String key) {
        return keys.lastId(key);
    }

    /**
     * Sends any command. On a Redis Cluster the key picks the node (Spring's cluster {@code execute} would insert the
     * key as first argument, which does not fit XREADGROUP or EVAL, so the native cluster client is used).
     */
    public Object exec(String key, String command, byte[]... args) {
        return channel.exec(key, command, args);
    }

    /** True when this client talks to a Redis Cluster. */
    public boolean isCluster() {
        return channel.isCluster();
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
        channel.close();
    }
}
