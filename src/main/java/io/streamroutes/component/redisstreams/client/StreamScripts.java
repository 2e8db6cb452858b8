package io.streamroutes.component.redisstreams.client;

/**
 * The component's Lua scripts: each does in one atomic step what would race as separate commands. Run by
 * {@link LuaScript#eval} (EVALSHA, the text only when the server does not know it yet).
 */
final class StreamScripts {

    private StreamScripts() {
    }

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
}
