package io.streamroutes.component.redisstreams;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.springframework.data.redis.connection.RedisClusterConnection;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import redis.clients.jedis.ConnectionPool;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.commands.ProtocolCommand;

/**
 * The stream commands the component needs, sent as raw commands over one Spring Data Redis connection. Raw commands
 * keep the hot path free of Spring's record conversion, support XAUTOCLAIM (which Spring Data Redis lacks) and let
 * replies with deleted entries through. Not thread-safe: one client per reading thread.
 */
public class RedisStreamsClient implements StreamCommands {

    /**
     * Acks the entry and writes it to the dead-letter stream in one atomic step; if the entry is no longer pending
     * (someone else acked it), nothing is written, so a dead letter is never duplicated.
     */
    static final LuaScript DEAD_LETTER_SCRIPT = LuaScript.of("""
            -- a script's writes are not undone when a later command fails: refuse before the XACK, never after it
            local target = redis.call('TYPE', KEYS[2])['ok']
            if target ~= 'none' and target ~= 'stream' then
              return redis.error_reply('WRONGTYPE dead-letter key ' .. KEYS[2] .. ' holds a ' .. target .. ', not a stream')
            end
            local acked = redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
            if acked == 1 then
              if ARGV[3] == '0' then
                redis.call('XADD', KEYS[2], '*', unpack(ARGV, 4))
              else
                redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[3], '*', unpack(ARGV, 4))
              end
            end
            return acked
            """);

    /** Refreshes the idle time of entries still owned by this consumer; an entry someone else took over is left alone. */
    static final LuaScript KEEP_ALIVE_SCRIPT = LuaScript.of("""
            local n = 0
            for i = 3, #ARGV do
              local p = redis.call('XPENDING', KEYS[1], ARGV[1], ARGV[i], ARGV[i], 1)
              if #p == 1 and p[1][2] == ARGV[2] then
                redis.call('XCLAIM', KEYS[1], ARGV[1], ARGV[2], 0, ARGV[i], 'JUSTID')
                n = n + 1
              end
            end
            return n
            """);

    /**
     * Removes consumers idle longer than ARGV[2] ms that hold no pending entry, in one step so that none can receive an
     * entry between the check and the removal (DELCONSUMER would drop its pending entries). ARGV[3..] are kept.
     */
    static final LuaScript REMOVE_IDLE_CONSUMERS_SCRIPT = LuaScript.of("""
            local keep = {}
            for i = 3, #ARGV do keep[ARGV[i]] = true end
            local removed = {}
            for _, c in ipairs(redis.call('XINFO', 'CONSUMERS', KEYS[1], ARGV[1])) do
              local f = {}
              for i = 1, #c, 2 do f[c[i]] = c[i + 1] end
              if f['pending'] == 0 and f['idle'] > tonumber(ARGV[2]) and not keep[f['name']] then
                redis.call('XGROUP', 'DELCONSUMER', KEYS[1], ARGV[1], f['name'])
                table.insert(removed, f['name'])
              end
            end
            return removed
            """);

    /**
     * Claims entries of ARGV[2] again for a retry, only where the entry is still pending for that consumer (another
     * consumer may have taken it over meanwhile). ARGV[3..] are pairs of id and retry count: -1 counts the new delivery
     * (XCLAIM adds one), n keeps the count at n (a Retry-After does not use up an attempt). An entry deleted from the
     * stream is acknowledged (it can never be processed) and reported in the second list.
     */
    static final LuaScript RETRY_CLAIM_SCRIPT = LuaScript.of("""
            local claimed, deleted = {}, {}
            for i = 3, #ARGV, 2 do
              local id = ARGV[i]
              local p = redis.call('XPENDING', KEYS[1], ARGV[1], id, id, 1)
              if #p == 1 and p[1][2] == ARGV[2] then
                local c
                if ARGV[i + 1] == '-1' then
                  c = redis.call('XCLAIM', KEYS[1], ARGV[1], ARGV[2], 0, id)
                else
                  c = redis.call('XCLAIM', KEYS[1], ARGV[1], ARGV[2], 0, id, 'RETRYCOUNT', ARGV[i + 1])
                end
                if #c == 1 and c[1] then
                  table.insert(claimed, c[1])
                else
                  redis.call('XACK', KEYS[1], ARGV[1], id)
                  table.insert(deleted, id)
                end
              end
            end
            return {claimed, deleted}
            """);

    private static final byte[] STREAMS = bytes("STREAMS");
    private static final byte[] COUNT = bytes("COUNT");
    private static final byte[] BLOCK = bytes("BLOCK");
    private static final byte[] GROUP = bytes("GROUP");

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
        try {
            exec(key, "XGROUP", bytes("CREATE"), bytes(key), bytes(group), bytes(startId), bytes("MKSTREAM"));
            return true;
        } catch (RuntimeException e) {
            if (RedisErrors.hasCode(e, "BUSYGROUP")) {
                return false;
            }
            throw e;
        }
    }

    /** XGROUP CREATECONSUMER key group consumer (Redis 6.2+); nothing happens when the consumer exists. */
    public void createConsumer(String key, String group, String consumer) {
        exec(key, "XGROUP", bytes("CREATECONSUMER"), bytes(key), bytes(group), bytes(consumer));
    }

    /** TYPE key: "none", "stream", "string", ... */
    public String type(String key) {
        return string(exec(key, "TYPE", bytes(key)));
    }

    /** XREADGROUP GROUP group consumer COUNT n [BLOCK ms] STREAMS key id. */
    public List<StreamEntry> readGroup(String key, String group, String consumer, int count, long blockMs, String id) {
        return singleStream(execBlocking(key, "XREADGROUP", blockMs, readGroupArgs(key, group, consumer, count, blockMs, id)));
    }

    private static byte[][] readGroupArgs(String key, String group, String consumer, int count, long blockMs, String id) {
        List<byte[]> args = new ArrayList<>(10);
        args.add(GROUP);
        args.add(bytes(group));
        args.add(bytes(consumer));
        addReadArgs(args, key, count, blockMs, id);
        return args.toArray(new byte[0][]);
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
        Jedis jedis = singleNodeJedis();
        if (jedis == null) {
            long acked = ackIds.isEmpty() ? 0 : ack(key, group, ackIds);
            return new AckedRead(acked, readGroup(key, group, consumer, count, blockMs, id));
        }
        return withBlockTime(jedis, blockMs, socket -> {
            boolean withAck = sendAckThenReadGroup(socket, key, group, ackIds, readGroupArgs(key, group, consumer, count, blockMs, id));
            return receiveAckedRead(socket, withAck);
        });
    }

    @Override
    public boolean canPipeline() {
        return singleNodeJedis() != null;
    }

    /** The Jedis client under a standalone or Sentinel connection (which can pipeline), or null on a Cluster. */
    private Jedis singleNodeJedis() {
        return connection instanceof RedisClusterConnection || !(connection.getNativeConnection() instanceof Jedis jedis) ? null : jedis;
    }

    private static boolean sendAckThenReadGroup(redis.clients.jedis.Connection socket, String key, String group,
                                                Collection<String> ackIds, byte[][] readArgs) {
        if (!ackIds.isEmpty()) {
            socket.sendCommand(Protocol.Command.XACK, ackArgs(key, group, ackIds));
        }
        socket.sendCommand(Protocol.Command.XREADGROUP, readArgs);
        return !ackIds.isEmpty();
    }

    private static AckedRead receiveAckedRead(redis.clients.jedis.Connection socket, boolean withAck) {
        long acked = 0;
        RuntimeException ackError = null;
        if (withAck) {
            try {
                acked = (Long) socket.getOne();
            } catch (JedisDataException e) {
                ackError = e; // the read's reply must still be consumed to keep the connection in step
            }
        }
        Object reply = socket.getOne();
        if (ackError != null) {
            throw ackError;
        }
        return new AckedRead(acked, singleStream(reply));
    }

    /** XREAD COUNT n [BLOCK ms] STREAMS key id. */
    public List<StreamEntry> read(String key, int count, long blockMs, String id) {
        List<byte[]> args = new ArrayList<>(7);
        addReadArgs(args, key, count, blockMs, id);
        return singleStream(execBlocking(key, "XREAD", blockMs, args.toArray(new byte[0][])));
    }

    private static void addReadArgs(List<byte[]> args, String key, int count, long blockMs, String id) {
        args.add(COUNT);
        args.add(bytes(Integer.toString(count)));
        if (blockMs > 0) {
            args.add(BLOCK);
            args.add(bytes(Long.toString(blockMs)));
        }
        args.add(STREAMS);
        args.add(bytes(key));
        args.add(bytes(id));
    }

    /** XACK key group id...; returns how many were pending and are now acked. */
    public long ack(String key, String group, Collection<String> ids) {
        return (Long) exec(key, "XACK", ackArgs(key, group, ids));
    }

    private static byte[][] ackArgs(String key, String group, Collection<String> ids) {
        byte[][] args = new byte[ids.size() + 2][];
        args[0] = bytes(key);
        args[1] = bytes(group);
        int i = 2;
        for (String id : ids) {
            args[i++] = bytes(id);
        }
        return args;
    }

    /** XAUTOCLAIM key group consumer minIdle cursor COUNT n, for Redis 6.2 and 7.x replies. */
    public AutoClaimResult autoClaim(String key, String group, String consumer, long minIdleMs, String cursor, int count) {
        List<?> reply = (List<?>) exec(key, "XAUTOCLAIM", bytes(key), bytes(group), bytes(consumer),
                bytes(Long.toString(minIdleMs)), bytes(cursor), COUNT, bytes(Integer.toString(count)));
        String next = string(reply.get(0));
        List<StreamEntry> entries = new ArrayList<>();
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
                entries.add(entry);
            }
        }
        if (reply.size() > 2 && reply.get(2) instanceof List<?> ids) {
            for (Object id : ids) {
                deleted.add(string(id));
            }
        }
        return new AutoClaimResult(next, entries, deleted, unnamedDeletions);
    }

    /** How often the pending entry was delivered (XPENDING key group id id 1), 0 when it is not pending. */
    public long deliveryCount(String key, String group, String id) {
        List<?> reply = (List<?>) exec(key, "XPENDING", bytes(key), bytes(group), bytes(id), bytes(id), bytes("1"));
        if (reply == null || reply.isEmpty()) {
            return 0;
        }
        return (Long) ((List<?>) reply.get(0)).get(3);
    }

    /** Ids of the entries pending for one consumer (XPENDING key group - + count consumer), oldest first. */
    public List<String> pendingIds(String key, String group, String consumer, int count) {
        return pendingIds(key, group, consumer, "-", "+", count);
    }

    /** Ids of the entries pending for one consumer between two ids, inclusive, oldest first. */
    public List<String> pendingIds(String key, String group, String consumer, String fromId, String toId, int count) {
        List<?> reply = (List<?>) exec(key, "XPENDING", bytes(key), bytes(group), bytes(fromId), bytes(toId),
                bytes(Integer.toString(count)), bytes(consumer));
        List<String> ids = new ArrayList<>();
        for (Object row : reply) {
            ids.add(string(((List<?>) row).get(0)));
        }
        return ids;
    }

    /** One row of the extended XPENDING reply for one consumer. */
    public record PendingEntry(String id, long idleMillis, long deliveryCount) {
    }

    /**
     * Entries pending for {@code consumer}, oldest first, after {@code afterId} (exclusive; null = from the start):
     * XPENDING key group (afterId + count consumer.
     */
    public List<PendingEntry> pendingOf(String key, String group, String consumer, String afterId, int count) {
        List<?> reply = (List<?>) exec(key, "XPENDING", bytes(key), bytes(group), bytes(afterId == null ? "-" : "(" + afterId),
                bytes("+"), bytes(Integer.toString(count)), bytes(consumer));
        List<PendingEntry> rows = new ArrayList<>(reply.size());
        for (Object item : reply) {
            List<?> row = (List<?>) item;
            rows.add(new PendingEntry(string(row.get(0)), (Long) row.get(2), (Long) row.get(3)));
        }
        return rows;
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
        List<byte[]> args = new ArrayList<>(retryCounts.size() * 2 + 5);
        args.add(bytes(key));
        args.add(bytes(group));
        args.add(bytes(consumer));
        retryCounts.forEach((id, count) -> {
            args.add(bytes(id));
            args.add(bytes(Long.toString(count)));
        });
        List<?> reply = (List<?>) eval(RETRY_CLAIM_SCRIPT, 1, args);
        List<String> deleted = new ArrayList<>();
        for (Object id : (List<?>) reply.get(1)) {
            deleted.add(string(id));
        }
        return new RetryClaim(entries((List<?>) reply.get(0)), deleted);
    }

    /** Whether the entry still exists in the stream (XRANGE key id id). */
    public boolean exists(String key, String id) {
        List<?> reply = (List<?>) exec(key, "XRANGE", bytes(key), bytes(id), bytes(id), COUNT, bytes("1"));
        return reply != null && !reply.isEmpty();
    }

    /** XADD key [MAXLEN ~ maxLen] * field value ...; returns the new id. */
    public String add(String key, long maxLen, List<byte[]> fieldsAndValues) {
        return string(exec(key, "XADD", xaddArgs(key, maxLen, fieldsAndValues)));
    }

    /**
     * Adds several entries, in order, and returns their ids. Standalone and Sentinel: one {@code MULTI}, the XADDs and
     * {@code EXEC}, pipelined in one round trip, so the batch is added as a whole or not at all. Redis Cluster: one XADD
     * after the other (a failure can leave the first ones added).
     */
    public List<String> addAll(String key, long maxLen, List<List<byte[]>> entries) {
        Jedis jedis = singleNodeJedis();
        List<String> ids = new ArrayList<>(entries.size());
        if (jedis == null) {
            for (List<byte[]> fields : entries) {
                ids.add(add(key, maxLen, fields));
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

    /** Atomically XACK the entry and XADD it to the dead-letter stream; false when it was no longer pending. */
    public boolean ackAndDeadLetter(String key, String group, String id, String deadLetterKey, List<byte[]> fieldsAndValues) {
        return ackAndDeadLetter(key, group, id, deadLetterKey, 0, fieldsAndValues);
    }

    /**
     * Atomically XACK the entry and XADD it to the dead-letter stream, trimmed to about {@code deadLetterMaxLen} entries
     * (MAXLEN ~; 0 = unbounded); false when it was no longer pending.
     */
    public boolean ackAndDeadLetter(String key, String group, String id, String deadLetterKey, long deadLetterMaxLen,
                                    List<byte[]> fieldsAndValues) {
        List<byte[]> args = new ArrayList<>(fieldsAndValues.size() + 8);
        args.add(bytes(key));
        args.add(bytes(deadLetterKey));
        args.add(bytes(group));
        args.add(bytes(id));
        args.add(bytes(Long.toString(deadLetterMaxLen)));
        args.addAll(fieldsAndValues);
        return ((Long) eval(DEAD_LETTER_SCRIPT, 2, args)) == 1L;
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
        return withBlockTime(jedis, timeoutMs,
                socket -> (Long) exec(key, "WAIT", bytes(Integer.toString(replicas)), bytes(Long.toString(timeoutMs))));
    }

    /**
     * Gives back entries {@code consumer} was delivered but will not process: XCLAIM with IDLE {@code idleMs}, so that
     * other consumers' XAUTOCLAIM takes them at once, and RETRYCOUNT 0, so that the next delivery counts as the first.
     */
    public void release(String key, String group, String consumer, List<String> ids, long idleMs) {
        List<byte[]> args = new ArrayList<>(ids.size() + 10);
        args.add(bytes(key));
        args.add(bytes(group));
        args.add(bytes(consumer));
        args.add(bytes("0"));
        ids.forEach(id -> args.add(bytes(id)));
        args.add(bytes("IDLE"));
        args.add(bytes(Long.toString(idleMs)));
        args.add(bytes("RETRYCOUNT"));
        args.add(bytes("0"));
        args.add(bytes("JUSTID"));
        exec(key, "XCLAIM", args.toArray(new byte[0][]));
    }

    /** Keeps the given entries of {@code consumer} from looking idle; returns how many were still its own. */
    public long keepAlive(String key, String group, String consumer, List<String> ids) {
        List<byte[]> args = new ArrayList<>(ids.size() + 5);
        args.add(bytes(key));
        args.add(bytes(group));
        args.add(bytes(consumer));
        ids.forEach(id -> args.add(bytes(id)));
        return (Long) eval(KEEP_ALIVE_SCRIPT, 1, args);
    }

    /** Removes idle consumers without pending entries, except {@code keep}; returns the removed names. */
    public List<String> removeIdleConsumers(String key, String group, long idleMs, List<String> keep) {
        List<byte[]> args = new ArrayList<>(keep.size() + 5);
        args.add(bytes(key));
        args.add(bytes(group));
        args.add(bytes(Long.toString(idleMs)));
        keep.forEach(name -> args.add(bytes(name)));
        List<String> removed = new ArrayList<>();
        for (Object name : (List<?>) eval(REMOVE_IDLE_CONSUMERS_SCRIPT, 1, args)) {
            removed.add(string(name));
        }
        return removed;
    }

    /**
     * Runs {@code script} by its SHA1 (EVALSHA) with {@code keyCount} keys first in {@code keysAndArgs}; when the server
     * does not know the script yet (NOSCRIPT) it is sent once with EVAL, which also caches it for the next EVALSHA. On a
     * Redis Cluster the first key picks the node.
     */
    public Object eval(LuaScript script, int keyCount, List<byte[]> keysAndArgs) {
        String routingKey = keyCount > 0 ? string(keysAndArgs.get(0)) : "";
        byte[][] args = new byte[keysAndArgs.size() + 2][];
        args[0] = bytes(script.sha1());
        args[1] = bytes(Integer.toString(keyCount));
        for (int i = 0; i < keysAndArgs.size(); i++) {
            args[i + 2] = keysAndArgs.get(i);
        }
        try {
            return exec(routingKey, "EVALSHA", args);
        } catch (RuntimeException e) {
            if (!RedisErrors.hasCode(e, "NOSCRIPT")) {
                throw e;
            }
            args[0] = bytes(script.text());
            return exec(routingKey, "EVAL", args);
        }
    }

    /** {@link #eval(LuaScript, int, List)} with text keys and arguments. */
    public Object eval(LuaScript script, int keyCount, String... keysAndArgs) {
        List<byte[]> raw = new ArrayList<>(keysAndArgs.length);
        for (String s : keysAndArgs) {
            raw.add(bytes(s));
        }
        return eval(script, keyCount, raw);
    }

    /**
     * Names of the keys matching {@code pattern} (SCAN, a page at a time); on a Redis Cluster, of every node (a key
     * seen on a master and its replica is listed twice).
     */
    public List<String> scanKeys(String pattern) {
        List<String> keys = new ArrayList<>();
        if (connection instanceof RedisClusterConnection && clusterClient() instanceof JedisCluster cluster) {
            for (ConnectionPool pool : cluster.getClusterNodes().values()) {
                try (redis.clients.jedis.Connection node = pool.getResource()) {
                    scan(pattern, keys, args -> {
                        node.sendCommand(Protocol.Command.SCAN, args);
                        return node.getOne();
                    });
                }
            }
        } else {
            scan(pattern, keys, args -> exec(pattern, "SCAN", args));
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

    /** The id of the newest entry, or {@code 0-0} for an empty or missing stream. */
    public String lastId(String key) {
        List<?> reply = (List<?>) exec(key, "XREVRANGE", bytes(key), bytes("+"), bytes("-"), COUNT, bytes("1"));
        if (reply == null || reply.isEmpty()) {
            return "0-0";
        }
        return string(((List<?>) reply.get(0)).get(0));
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

    private UnifiedJedis clusterClient() {
        return (UnifiedJedis) connection.getNativeConnection();
    }

    private static ProtocolCommand protocolCommand(String command) {
        byte[] raw = bytes(command);
        return () -> raw;
    }

    /** True when this client talks to a Redis Cluster. */
    public boolean isCluster() {
        return connection instanceof RedisClusterConnection;
    }

    /**
     * A blocking read must not be cut by the client's socket timeout: with Jedis the timeout is raised by the block
     * time for this one call. Other clients must be configured with a read timeout above {@code block}.
     */
    private Object execBlocking(String key, String command, long blockMs, byte[]... args) {
        if (blockMs > 0 && connection instanceof RedisClusterConnection) {
            return clusterClient().sendBlockingCommand(bytes(key), protocolCommand(command), args);
        }
        Jedis jedis = singleNodeJedis();
        if (jedis == null) {
            return exec(key, command, args);
        }
        return withBlockTime(jedis, blockMs, socket -> exec(key, command, args));
    }

    /**
     * Runs {@code call} with the Jedis socket timeout raised by {@code blockMs} (restored afterwards), so a blocking
     * read is not cut by the client's own timeout. An infinite timeout (0) or no BLOCK leaves it as it is.
     */
    private static <T> T withBlockTime(Jedis jedis, long blockMs, Function<redis.clients.jedis.Connection, T> call) {
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

    /** Entries of an XRANGE-style reply. */
    static List<StreamEntry> entries(List<?> reply) {
        List<StreamEntry> result = new ArrayList<>(reply == null ? 0 : reply.size());
        if (reply != null) {
            for (Object item : reply) {
                result.add(entry(item));
            }
        }
        return result;
    }

    private static List<StreamEntry> singleStream(Object reply) {
        if (reply == null) {
            return List.of();
        }
        List<?> streams = (List<?>) reply;
        if (streams.isEmpty()) {
            return List.of();
        }
        return entries((List<?>) ((List<?>) streams.get(0)).get(1));
    }

    @SuppressWarnings("unchecked")
    private static StreamEntry entry(Object item) {
        List<?> pair = (List<?>) item;
        return new StreamEntry(string(pair.get(0)), (List<byte[]>) pair.get(1));
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** A bulk or status reply as UTF-8 text. */
    public static String string(Object reply) {
        return reply instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : String.valueOf(reply);
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
