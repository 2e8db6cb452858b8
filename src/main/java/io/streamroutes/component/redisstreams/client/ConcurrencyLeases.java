package io.streamroutes.component.redisstreams.client;

import java.util.ArrayList;
import java.util.List;

/**
 * The in-flight count per concurrency key of a consumer group, shared by every process: the hash {@link #countsKey}
 * (concurrency key → entries running) and the sorted set {@link #leasesKey} (one member per running entry's lease,
 * {@code <owner>\n<concurrency key>}, scored by when it expires, in the Redis server's milliseconds). A lease is taken
 * and given back atomically by a script; leases not refreshed expire (a killed process holds its slots for at most
 * the lease time) and are removed by the next acquire. Both keys are in the stream's Cluster slot
 * ({@code {<stream>}:<group>:keys} when the stream key has no hash tag) and expire themselves when no process writes them.
 */
public final class ConcurrencyLeases {

    /** Expired leases removed per acquire. */
    static final int EXPIRE_BATCH = 100;

    private static final String COMMON = """
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            local function keyOf(m) return string.sub(m, string.find(m, '\\n', 1, true) + 1) end
            local function drop(m)
              if redis.call('ZREM', KEYS[2], m) == 1 then
                local k = keyOf(m)
                if redis.call('HINCRBY', KEYS[1], k, -1) <= 0 then redis.call('HDEL', KEYS[1], k) end
                return 1
              end
              return 0
            end
            local function keep(ttl)
              redis.call('PEXPIRE', KEYS[1], ttl * 2)
              redis.call('PEXPIRE', KEYS[2], ttl * 2)
            end
            """;

    /**
     * KEYS[1] the counts, KEYS[2] the leases; ARGV[1] the limit per key, ARGV[2] the lease time in ms, ARGV[3..] the
     * leases wanted. Removes expired leases first, then grants each wanted lease whose key is below the limit, in order.
     * Returns 1 (granted) or 0 per wanted lease.
     */
    static final LuaScript ACQUIRE = LuaScript.of(COMMON + """
            for _, m in ipairs(redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now, 'LIMIT', 0, %d)) do drop(m) end
            local max, ttl = tonumber(ARGV[1]), tonumber(ARGV[2])
            local granted = {}
            for i = 3, #ARGV do
              local m = ARGV[i]
              local k = keyOf(m)
              if tonumber(redis.call('HGET', KEYS[1], k) or '0') < max then
                redis.call('HINCRBY', KEYS[1], k, 1)
                redis.call('ZADD', KEYS[2], now + ttl, m)
                granted[#granted + 1] = 1
              else
                granted[#granted + 1] = 0
              end
            end
            keep(ttl)
            return granted
            """.formatted(EXPIRE_BATCH));

    /** KEYS as {@link #ACQUIRE}; ARGV the leases to give back. Returns how many were still held. */
    static final LuaScript RELEASE = LuaScript.of(COMMON + """
            local n = 0
            for i = 1, #ARGV do n = n + drop(ARGV[i]) end
            return n
            """);

    /**
     * KEYS as {@link #ACQUIRE}; ARGV[1] the lease time in ms, ARGV[2..] the leases still in use. Extends each; one that
     * expired meanwhile (its process stalled longer than the lease time) is counted again, as its entry still runs.
     * Returns how many had expired.
     */
    static final LuaScript REFRESH = LuaScript.of(COMMON + """
            local ttl = tonumber(ARGV[1])
            local n = 0
            for i = 2, #ARGV do
              local m = ARGV[i]
              if not redis.call('ZSCORE', KEYS[2], m) then
                redis.call('HINCRBY', KEYS[1], keyOf(m), 1)
                n = n + 1
              end
              redis.call('ZADD', KEYS[2], now + ttl, m)
            end
            keep(ttl)
            return n
            """);

    private ConcurrencyLeases() {
    }

    /** {@code <stream>:<group>:keys} in the stream's Cluster slot: concurrency key → entries running. */
    public static String countsKey(StreamGroup group) {
        return slotted(group.key()) + ":" + group.group() + ":keys";
    }

    /** {@code <stream>:<group>:leases} in the stream's Cluster slot: lease → when it expires. */
    public static String leasesKey(StreamGroup group) {
        return slotted(group.key()) + ":" + group.group() + ":leases";
    }

    private static String slotted(String stream) {
        return stream.contains("{") ? stream : "{" + stream + "}";
    }

    /** A lease member: unique {@code owner} (consumer name and a sequence number), then the concurrency key. */
    public static String member(String owner, String concurrencyKey) {
        return owner + "\n" + concurrencyKey;
    }

    /** The concurrency key of a lease member. */
    public static String keyOf(String member) {
        return member.substring(member.indexOf('\n') + 1);
    }

    /** Tries to take each lease in {@code members} (in order); true where granted. */
    public static List<Boolean> acquire(StreamCommands redis, StreamGroup group, int maxPerKey, long leaseMillis, List<String> members) {
        List<Boolean> granted = new ArrayList<>(members.size());
        if (members.isEmpty()) {
            return granted;
        }
        List<?> reply = (List<?>) redis.eval(ACQUIRE, 2, args(group, List.of(Integer.toString(maxPerKey), Long.toString(leaseMillis)), members));
        for (Object one : reply) {
            granted.add(((Long) one) == 1L);
        }
        return granted;
    }

    /** Gives the leases back; returns how many were still held. */
    public static long release(StreamCommands redis, StreamGroup group, List<String> members) {
        return members.isEmpty() ? 0 : (Long) redis.eval(RELEASE, 2, args(group, List.of(), members));
    }

    /** Extends the leases of entries still running by {@code leaseMillis}; returns how many had expired. */
    public static long refresh(StreamCommands redis, StreamGroup group, long leaseMillis, List<String> members) {
        return members.isEmpty() ? 0 : (Long) redis.eval(REFRESH, 2, args(group, List.of(Long.toString(leaseMillis)), members));
    }

    private static String[] args(StreamGroup group, List<String> first, List<String> members) {
        List<String> all = new ArrayList<>(2 + first.size() + members.size());
        all.add(countsKey(group));
        all.add(leasesKey(group));
        all.addAll(first);
        all.addAll(members);
        return all.toArray(String[]::new);
    }
}
