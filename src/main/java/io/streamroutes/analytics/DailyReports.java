package io.streamroutes.analytics;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import io.streamroutes.component.redisstreams.RedisStreamsClient;
import io.streamroutes.component.redisstreams.RedisStreamsConstants;
import io.streamroutes.component.redisstreams.RedisStreamsEndpoint;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.Header;

/**
 * The daily reports in Redis, kept through the redis-streams component's connection (same host, credentials, pool).
 * <p>
 * Per UTC day: the report hash {@code report:daily:<day>} ({@code orders_created}, {@code orders_paid},
 * {@code revenue_cents}, {@code users}, {@code ignored}), the set of that day's user ids {@code report:users:<day>},
 * and the set of entry ids already counted {@code report:processed:<day>}. {@code report:days} lists the days. Each
 * entry is counted by one Lua script that checks and records its id together with the counters, so an entry
 * delivered twice (redelivery, XAUTOCLAIM, a replay racing the live route) is counted exactly once.
 */
public class DailyReports implements CamelContextAware {

    public static final String REPORT_PREFIX = "report:daily:";
    public static final String USERS_PREFIX = "report:users:";
    public static final String PROCESSED_PREFIX = "report:processed:";
    public static final String DAYS = "report:days";

    /** KEYS: days, report, users, processed. ARGV: day, entry id, type, user id, amount. Returns 1 if counted. */
    static final String RECORD_SCRIPT = """
            if redis.call('SISMEMBER', KEYS[4], ARGV[2]) == 1 then
              return 0
            end
            redis.call('SADD', KEYS[1], ARGV[1])
            if redis.call('EXISTS', KEYS[2]) == 0 then
              -- all fields at once, in a fixed order, whatever the first event of the day is
              redis.call('HSET', KEYS[2], 'orders_created', 0, 'orders_paid', 0, 'revenue_cents', 0, 'users', 0, 'ignored', 0)
            end
            if ARGV[3] == 'order_created' then
              redis.call('HINCRBY', KEYS[2], 'orders_created', 1)
            elseif ARGV[3] == 'order_paid' then
              redis.call('HINCRBY', KEYS[2], 'orders_paid', 1)
              redis.call('HINCRBY', KEYS[2], 'revenue_cents', ARGV[5])
            else
              redis.call('HINCRBY', KEYS[2], 'ignored', 1)
            end
            if ARGV[4] ~= '' then
              redis.call('SADD', KEYS[3], ARGV[4])
              redis.call('HSET', KEYS[2], 'users', redis.call('SCARD', KEYS[3]))
            end
            -- recorded last: should a command above fail, nothing marks the entry as counted
            redis.call('SADD', KEYS[4], ARGV[2])
            return 1
            """;

    /** KEYS: days. ARGV: the three key prefixes. Deletes every day's keys and the day list; returns the number of days. */
    static final String CLEAR_SCRIPT = """
            local days = redis.call('SMEMBERS', KEYS[1])
            for _, day in ipairs(days) do
              redis.call('UNLINK', ARGV[1] .. day, ARGV[2] .. day, ARGV[3] .. day)
            end
            redis.call('UNLINK', KEYS[1])
            return #days
            """;

    /** The stream whose component settings (host, port, credentials) the reports share. */
    static final String CONNECTION_URI = "redis-streams:business:events";

    private CamelContext camelContext;

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
        Object counted = client.exec(REPORT_PREFIX + day, "EVAL", bytes(RECORD_SCRIPT), bytes("4"),
                bytes(DAYS), bytes(REPORT_PREFIX + day), bytes(USERS_PREFIX + day), bytes(PROCESSED_PREFIX + day),
                bytes(day), bytes(event.entryId()), bytes(event.type()), bytes(event.userId()),
                bytes(Long.toString(event.amountCents())));
        return Long.valueOf(1).equals(counted);
    }

    /** Deletes all reports and their bookkeeping in one atomic step; returns how many days were deleted. */
    long clear(RedisStreamsClient client) {
        indexStrayDays(client);
        return (Long) client.exec(DAYS, "EVAL", bytes(CLEAR_SCRIPT), bytes("1"), bytes(DAYS),
                bytes(REPORT_PREFIX), bytes(USERS_PREFIX), bytes(PROCESSED_PREFIX));
    }

    /**
     * Adds to the day index every day that has report keys without being indexed (e.g. a report restored or edited by
     * hand), so that the atomic clear deletes them too and a replay leaves no stale report behind. Adding a day to the
     * index is harmless while the live route runs.
     */
    private static void indexStrayDays(RedisStreamsClient client) {
        String cursor = "0";
        do {
            List<?> reply = (List<?>) client.exec(DAYS, "SCAN", bytes(cursor), bytes("MATCH"), bytes("report:*"), bytes("COUNT"),
                    bytes("1000"));
            cursor = RedisStreamsClient.string(reply.get(0));
            for (Object key : (List<?>) reply.get(1)) {
                String name = RedisStreamsClient.string(key);
                for (String prefix : new String[] { REPORT_PREFIX, USERS_PREFIX, PROCESSED_PREFIX }) {
                    if (name.startsWith(prefix)) {
                        client.exec(DAYS, "SADD", bytes(DAYS), bytes(name.substring(prefix.length())));
                    }
                }
            }
        } while (!"0".equals(cursor));
    }

    /** A client on a pooled connection of the redis-streams component; the caller closes it. */
    RedisStreamsClient client() {
        if (camelContext == null) {
            throw new IllegalStateException("DailyReports needs the CamelContext (declare it as a bean in the route file)");
        }
        return camelContext.getEndpoint(CONNECTION_URI, RedisStreamsEndpoint.class).newClient();
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
