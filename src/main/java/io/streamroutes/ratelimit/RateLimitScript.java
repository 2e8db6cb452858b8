package io.streamroutes.ratelimit;

import java.util.List;

import io.streamroutes.component.redisstreams.client.LuaScript;
import io.streamroutes.component.redisstreams.client.RedisStreamsClient;

/**
 * The one atomic step of a shared rate limit: GCRA (generic cell rate algorithm) on a single key holding the
 * "theoretical arrival time" of the next call, in microseconds of the Redis server's clock ({@code TIME}), so the
 * processes' own clocks never matter. A call is given the next free slot (calls are spaced {@code interval} apart, no
 * burst) and told how long to wait for it; a caller that would wait longer than it accepts is told the wait and
 * takes no slot, so it leaves the limit to the others.
 */
final class RateLimitScript {

    /**
     * KEYS[1] the limit's key; ARGV[1] microseconds between two calls; ARGV[2] the longest wait, in microseconds, the
     * caller accepts. Returns {1, wait} with a slot reserved in {@code wait} microseconds, or {0, wait} with nothing
     * reserved. The key expires when its slot has passed, when it would be the same as no key.
     * Numbers are written with %d: Lua's default formatting (%.14g) would round a microsecond time.
     */
    static final LuaScript SCRIPT = LuaScript.of("""
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
            local interval = tonumber(ARGV[1])
            local tat = tonumber(redis.call('GET', KEYS[1]) or now)
            if tat < now then tat = now end
            local wait = tat - now
            if wait > tonumber(ARGV[2]) then
              return {0, wait}
            end
            local next_tat = tat + interval
            redis.call('SET', KEYS[1], string.format('%d', next_tat), 'PX', string.format('%d', math.ceil((next_tat - now) / 1000) + 1))
            return {1, wait}
            """);


    private RateLimitScript() {
    }

    /** Asks Redis for the next slot of the limit at {@code key} (EVALSHA, EVAL when the server lacks the script). */
    static RateLimitAnswer reserve(RedisStreamsClient client, String key, long intervalMicros, long maxWaitMicros) {
        List<?> reply = (List<?>) client.eval(SCRIPT, 1, key, Long.toString(intervalMicros), Long.toString(maxWaitMicros));
        return new RateLimitAnswer((Long) reply.get(0) == 1L, (Long) reply.get(1));
    }

}
