package io.streamroutes.analytics;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

import io.streamroutes.component.redisstreams.RedisStreamsConstants;
import io.streamroutes.component.redisstreams.RedisStreamsComponent;
import io.streamroutes.component.redisstreams.client.LuaScript;
import io.streamroutes.component.redisstreams.client.RedisStreamsClient;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.Header;
import org.apache.camel.util.TimeUtils;

/**
 * The daily reports in Redis, kept through the redis-streams component's connection (same host, credentials, pool).
 * <p>
 * Per UTC day: the report hash {@code report:daily:<day>} ({@code orders_created}, {@code orders_paid},
 * {@code revenue_cents}, {@code users}, {@code ignored}), the set of that day's user ids
 * {@code report:users:{report:daily:<day>}} and the set of entry ids already counted
 * {@code report:processed:{report:daily:<day>}}. The hash tag puts both sets in the report's Redis Cluster slot, so
 * one Lua script per entry checks and records its id together with the counters: an entry delivered twice
 * (redelivery, XAUTOCLAIM, a replay racing the live route) is counted exactly once, on a Cluster too. The two sets
 * expire {@code bookkeepingRetention} after the day ends ({@link BookkeepingExpiry}); the report hashes stay.
 * {@code report:days} lists the days.
 */
public class DailyReports implements CamelContextAware {

    public static final String REPORT_PREFIX = "report:daily:";
    public static final String USERS_PREFIX = "report:users:";
    public static final String PROCESSED_PREFIX = "report:processed:";
    public static final String DAYS = "report:days";
    static final String DEFAULT_RETENTION = "7d";

    /** KEYS: report, users, processed. ARGV: entry id, type, user id, amount, expiry of the sets (unix ms). 1 if counted. */
    static final LuaScript RECORD_SCRIPT = LuaScript.of("""
            if redis.call('SISMEMBER', KEYS[3], ARGV[1]) == 1 then
              return 0
            end
            if redis.call('EXISTS', KEYS[1]) == 0 then
              -- all fields at once, in a fixed order, whatever the first event of the day is
              redis.call('HSET', KEYS[1], 'orders_created', 0, 'orders_paid', 0, 'revenue_cents', 0, 'users', 0, 'ignored', 0)
            end
            if ARGV[2] == 'order_created' then
              redis.call('HINCRBY', KEYS[1], 'orders_created', 1)
            elseif ARGV[2] == 'order_paid' then
              redis.call('HINCRBY', KEYS[1], 'orders_paid', 1)
              redis.call('HINCRBY', KEYS[1], 'revenue_cents', ARGV[4])
            else
              redis.call('HINCRBY', KEYS[1], 'ignored', 1)
            end
            if ARGV[3] ~= '' then
              redis.call('SADD', KEYS[2], ARGV[3])
              redis.call('PEXPIREAT', KEYS[2], ARGV[5])
              redis.call('HSET', KEYS[1], 'users', redis.call('SCARD', KEYS[2]))
            end
            -- recorded last: should a command above fail, nothing marks the entry as counted
            redis.call('SADD', KEYS[3], ARGV[1])
            redis.call('PEXPIREAT', KEYS[3], ARGV[5])
            return 1
            """);

    /** KEYS: one day's report and its two sets (one slot). Deletes them; returns how many existed. */
    static final LuaScript CLEAR_DAY_SCRIPT = LuaScript.of("""
            return redis.call('UNLINK', KEYS[1], KEYS[2], KEYS[3])
            """);

    private CamelContext camelContext;
    private long retentionMillis = TimeUtils.toMilliSeconds(DEFAULT_RETENTION);
    private LongSupplier clock = System::currentTimeMillis;

    /** The set of the users counted on {@code day}, in the slot of its report. */
    public static String usersKey(String day) {
        return USERS_PREFIX + "{" + REPORT_PREFIX + day + "}";
    }

    /** The set of the entry ids counted on {@code day}, in the slot of its report. */
    public static String processedKey(String day) {
        return PROCESSED_PREFIX + "{" + REPORT_PREFIX + day + "}";
    }

    /** Route entry point: counts one {@code business:events} entry (malformed ones throw a non-retryable error). */
    public boolean record(Map<String, String> fields, @Header(RedisStreamsConstants.ENTRY_ID) String entryId) {
        BusinessEvent event = BusinessEvent.parse(entryId, fields);
        try (RedisStreamsClient client = client()) {
            return countOnce(client, event);
        }
    }

    /** Counts the event unless its entry id was counted before; true when counted now. */
    boolean countOnce(RedisStreamsClient client, BusinessEvent event) {
        String day = event.day();
        // indexed first (its own slot on a Cluster): a day in the index without a report yet is harmless
        client.exec(DAYS, "SADD", bytes(DAYS), bytes(day));
        long expireAt = BookkeepingExpiry.expireAt(day, clock.getAsLong(), retentionMillis);
        Object counted = client.eval(RECORD_SCRIPT, 3, REPORT_PREFIX + day, usersKey(day), processedKey(day), event.entryId(),
                event.type(), event.userId(), Long.toString(event.amountCents()), Long.toString(expireAt));
        return Long.valueOf(1).equals(counted);
    }

    /**
     * Deletes all reports and their bookkeeping, one day at a time (each day in one atomic step; on a Cluster the days
     * live in different slots); returns how many days were deleted. A day leaves the index before its keys go, so a
     * day the live route counts meanwhile is either deleted whole or indexed again; the replay that follows recounts
     * every entry up to the id it notes after the clear.
     */
    long clear(RedisStreamsClient client) {
        indexStrayDays(client);
        long days = 0;
        for (Object member : (List<?>) client.exec(DAYS, "SMEMBERS", bytes(DAYS))) {
            String day = RedisStreamsClient.string(member);
            client.exec(DAYS, "SREM", bytes(DAYS), bytes(day));
            client.eval(CLEAR_DAY_SCRIPT, 3, REPORT_PREFIX + day, usersKey(day), processedKey(day));
            // sets named report:users:<day> / report:processed:<day> by versions before the Cluster-safe names
            client.exec(USERS_PREFIX + day, "UNLINK", bytes(USERS_PREFIX + day));
            client.exec(PROCESSED_PREFIX + day, "UNLINK", bytes(PROCESSED_PREFIX + day));
            days++;
        }
        return days;
    }

    /**
     * Adds to the day index every day that has report keys without being indexed (e.g. a report restored or edited by
     * hand, or sets of an older version), so that the clear deletes them too and a replay leaves no stale report
     * behind. Adding a day to the index is harmless while the live route runs.
     */
    private static void indexStrayDays(RedisStreamsClient client) {
        for (String name : client.scanKeys("report:*")) {
            String day = dayOf(name);
            if (day != null) {
                client.exec(DAYS, "SADD", bytes(DAYS), bytes(day));
            }
        }
    }

    /** The day a report key belongs to, or null for other keys. */
    static String dayOf(String key) {
        for (String prefix : new String[] { REPORT_PREFIX, USERS_PREFIX, PROCESSED_PREFIX }) {
            if (key.startsWith(prefix)) {
                String rest = key.substring(prefix.length());
                String tagged = "{" + REPORT_PREFIX;
                if (rest.startsWith(tagged) && rest.endsWith("}")) {
                    rest = rest.substring(tagged.length(), rest.length() - 1);
                }
                return rest.matches("\\d{4}-\\d{2}-\\d{2}") ? rest : null;
            }
        }
        return null;
    }

    /** How long a day's bookkeeping is kept after the day ends, e.g. {@code 7d}, {@code 48h} (Camel's duration format). */
    public void setBookkeepingRetention(String retention) {
        long millis = TimeUtils.toMilliSeconds(retention);
        if (millis <= 0) {
            throw new IllegalArgumentException("bookkeepingRetention must be a positive duration such as 7d or 48h: " + retention);
        }
        this.retentionMillis = millis;
    }

    public String getBookkeepingRetention() {
        return TimeUtils.printDuration(retentionMillis);
    }

    /** For tests that compress days into seconds. */
    void setClock(LongSupplier clock) {
        this.clock = clock;
    }

    /** A client on the redis-streams component's connection, the one the routes use; the caller closes it. */
    RedisStreamsClient client() {
        if (camelContext == null) {
            throw new IllegalStateException("DailyReports needs the CamelContext (declare it as a bean in the route file)");
        }
        return RedisStreamsComponent.of(camelContext).newClient();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
    }
}
