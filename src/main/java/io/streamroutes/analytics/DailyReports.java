package io.streamroutes.analytics;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

import io.streamroutes.component.redisstreams.RedisStreamsConstants;
import io.streamroutes.component.redisstreams.RedisStreamsComponent;
import io.streamroutes.component.redisstreams.RedisStreamsNonRetryableException;
import io.streamroutes.component.redisstreams.client.LuaScript;
import io.streamroutes.component.redisstreams.client.RedisStreamsClient;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.Exchange;
import org.apache.camel.Header;
import org.apache.camel.util.TimeUtils;

/**
 * The daily reports in Redis, kept through the redis-streams component's connection (same host, credentials, pool).
 * <p>
 * Per UTC day: the report hash {@code report:daily:<day>} ({@code orders_created}, {@code orders_paid},
 * {@code revenue_cents}, {@code users}, {@code ignored}), the set of that day's user ids
 * {@code report:users:{report:daily:<day>}} and the set of entry ids already counted
 * {@code report:processed:{report:daily:<day>}}. The hash tag puts both sets in the report's Redis Cluster slot, so
 * one Lua script call per day of a batch checks and records the entries' ids together with the counters (a second
 * call, event by event, when some were counted before): an entry delivered twice
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

    /**
     * What both record scripts do once they know what to count. KEYS: one day's report, users and processed sets (one
     * slot); ARGV[1]: expiry of the sets (unix ms).
     */
    private static final String RECORD_COMMON = """
            -- in slices: Lua's unpack takes a few thousand values at most
            local function add_all(key, values, from, to)
              for i = from, to, 1000 do
                redis.call('SADD', key, unpack(values, i, math.min(i + 999, to)))
              end
            end
            local function create_report()
              if redis.call('EXISTS', KEYS[1]) == 0 then
                -- all fields at once, in a fixed order, whatever the first event of the day is
                redis.call('HSET', KEYS[1], 'orders_created', 0, 'orders_paid', 0, 'revenue_cents', 0, 'users', 0, 'ignored', 0)
              end
            end
            local function add_users(users, from, to)
              add_all(KEYS[2], users, from, to)
              redis.call('PEXPIREAT', KEYS[2], ARGV[1])
              redis.call('HSET', KEYS[1], 'users', redis.call('SCARD', KEYS[2]))
            end
            -- called last: should a command before fail, nothing marks the events as counted
            local function mark_counted(ids, from, to)
              add_all(KEYS[3], ids, from, to)
              redis.call('PEXPIREAT', KEYS[3], ARGV[1])
            end
            """;

    /**
     * KEYS: one day's report, users and processed sets (one slot). ARGV[1]: expiry of the sets (unix ms); then the
     * events' orders created, orders paid, revenue cents and ignored events; how many entry ids follow; the entry ids
     * (distinct); the distinct non-empty user ids. When none of the ids is in the processed set, counts them all at
     * once from these totals and returns how many; otherwise changes nothing and returns -1 (the caller then counts
     * event by event with {@link #RECORD_SCRIPT}). The common case (entries seen for the first time) thus costs Redis
     * no work per event beyond the two set lookups and inserts.
     */
    static final LuaScript RECORD_NEW_SCRIPT = LuaScript.of(RECORD_COMMON + """
            local n = tonumber(ARGV[6])
            local last = 6 + n
            for from = 7, last, 1000 do
              local reply = redis.call('SMISMEMBER', KEYS[3], unpack(ARGV, from, math.min(from + 999, last)))
              for j = 1, #reply do
                if reply[j] == 1 then return -1 end
              end
            end
            create_report()
            local fields = { 'orders_created', 'orders_paid', 'revenue_cents', 'ignored' }
            for i = 1, 4 do
              if ARGV[i + 1] ~= '0' then redis.call('HINCRBY', KEYS[1], fields[i], ARGV[i + 1]) end
            end
            if #ARGV > last then
              add_users(ARGV, last + 1, #ARGV)
            end
            mark_counted(ARGV, 7, last)
            return n
            """);

    /**
     * KEYS: one day's report, users and processed sets (one slot). ARGV[1]: expiry of the sets (unix ms); then four per
     * event: entry id, type, user id, amount. Counts each event whose id is not in the processed set (nor earlier in
     * the same call); returns how many it counted.
     */
    static final LuaScript RECORD_SCRIPT = LuaScript.of(RECORD_COMMON + """
            local n = (#ARGV - 1) / 4
            local ids = {}
            for i = 1, n do ids[i] = ARGV[4 * i - 2] end
            local known = {}
            for from = 1, n, 1000 do
              local reply = redis.call('SMISMEMBER', KEYS[3], unpack(ids, from, math.min(from + 999, n)))
              for j = 1, #reply do known[from + j - 1] = reply[j] == 1 end
            end
            local created, paid, ignored, revenue = 0, 0, 0, 0
            local ready = false
            local function prepare()
              if not ready then create_report() end
              ready = true
            end
            local counted, users, taken = {}, {}, {}
            for i = 1, n do
              local id = ids[i]
              if not known[i] and not taken[id] then
                taken[id] = true
                counted[#counted + 1] = id
                local kind = ARGV[4 * i - 1]
                if kind == 'order_created' then
                  created = created + 1
                elseif kind == 'order_paid' then
                  paid = paid + 1
                  revenue = revenue + tonumber(ARGV[4 * i + 1])
                  -- amounts have at most 12 digits: flushed long before a double loses whole cents (2^53)
                  if revenue > 4e15 then
                    prepare()
                    redis.call('HINCRBY', KEYS[1], 'revenue_cents', string.format('%.0f', revenue))
                    revenue = 0
                  end
                else
                  ignored = ignored + 1
                end
                if ARGV[4 * i] ~= '' then users[#users + 1] = ARGV[4 * i] end
              end
            end
            if #counted == 0 then
              return 0
            end
            prepare()
            if created > 0 then redis.call('HINCRBY', KEYS[1], 'orders_created', created) end
            if paid > 0 then redis.call('HINCRBY', KEYS[1], 'orders_paid', paid) end
            if revenue > 0 then redis.call('HINCRBY', KEYS[1], 'revenue_cents', string.format('%.0f', revenue)) end
            if ignored > 0 then redis.call('HINCRBY', KEYS[1], 'ignored', ignored) end
            if #users > 0 then
              add_users(users, 1, #users)
            end
            mark_counted(counted, 1, #counted)
            return #counted
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
            return countOnce(client, List.of(event)) == 1;
        }
    }

    /**
     * Route entry point of a batching consumer: counts the batch's entries with one script call per UTC day among them.
     * A malformed entry gets its non-retryable error on its own exchange (the consumer dead-letters it alone); a Redis
     * failure fails the batch, whose entries are then delivered again and counted once.
     */
    public long recordBatch(List<Exchange> batch) {
        List<BusinessEvent> events = new ArrayList<>(batch.size());
        for (Exchange entry : batch) {
            try {
                events.add(BusinessEvent.parse(entry.getMessage().getHeader(RedisStreamsConstants.ENTRY_ID, String.class),
                        fieldsOf(entry)));
            } catch (RedisStreamsNonRetryableException e) {
                entry.setException(e);
            }
        }
        try (RedisStreamsClient client = client()) {
            return countOnce(client, events);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> fieldsOf(Exchange entry) {
        return entry.getMessage().getBody(Map.class);
    }

    /**
     * Counts each event unless its entry id was counted before, with one script call per UTC day among the events (a
     * day's keys share one slot): the day's totals when none was counted before, else a second call event by event;
     * returns how many were counted now.
     */
    long countOnce(RedisStreamsClient client, List<BusinessEvent> events) {
        Map<String, List<BusinessEvent>> byDay = new LinkedHashMap<>();
        for (BusinessEvent event : events) {
            byDay.computeIfAbsent(event.day(), d -> new ArrayList<>()).add(event);
        }
        long counted = 0;
        for (Map.Entry<String, List<BusinessEvent>> day : byDay.entrySet()) {
            counted += countDay(client, day.getKey(), day.getValue());
        }
        return counted;
    }

    private long countDay(RedisStreamsClient client, String day, List<BusinessEvent> events) {
        // indexed first (its own slot on a Cluster): a day in the index without a report yet is harmless
        client.exec(DAYS, "SADD", bytes(DAYS), bytes(day));
        byte[] expireAt = bytes(Long.toString(BookkeepingExpiry.expireAt(day, clock.getAsLong(), retentionMillis)));
        long counted = ((Number) client.eval(RECORD_NEW_SCRIPT, 3, newEventsCall(day, expireAt, events))).longValue();
        if (counted >= 0) {
            return counted;
        }
        // some were counted before (redelivery, a replay racing the live route): event by event
        List<byte[]> keysAndArgs = dayKeys(day, expireAt, 4 * events.size());
        for (BusinessEvent event : events) {
            keysAndArgs.add(bytes(event.entryId()));
            keysAndArgs.add(bytes(event.type()));
            keysAndArgs.add(bytes(event.userId()));
            keysAndArgs.add(bytes(Long.toString(event.amountCents())));
        }
        return ((Number) client.eval(RECORD_SCRIPT, 3, keysAndArgs)).longValue();
    }

    /** The keys and arguments of {@link #RECORD_NEW_SCRIPT}: the day's totals, its distinct entry ids and users. */
    private static List<byte[]> newEventsCall(String day, byte[] expireAt, List<BusinessEvent> events) {
        DayTotals totals = DayTotals.of(events);
        List<byte[]> keysAndArgs = dayKeys(day, expireAt, 6 + totals.entryIds().size() + totals.userIds().size());
        keysAndArgs.add(bytes(Long.toString(totals.created())));
        keysAndArgs.add(bytes(Long.toString(totals.paid())));
        keysAndArgs.add(bytes(Long.toString(totals.revenueCents())));
        keysAndArgs.add(bytes(Long.toString(totals.ignored())));
        keysAndArgs.add(bytes(Integer.toString(totals.entryIds().size())));
        totals.entryIds().forEach(id -> keysAndArgs.add(bytes(id)));
        totals.userIds().forEach(user -> keysAndArgs.add(bytes(user)));
        return keysAndArgs;
    }

    private static List<byte[]> dayKeys(String day, byte[] expireAt, int moreArgs) {
        List<byte[]> keysAndArgs = new ArrayList<>(4 + moreArgs);
        keysAndArgs.add(bytes(REPORT_PREFIX + day));
        keysAndArgs.add(bytes(usersKey(day)));
        keysAndArgs.add(bytes(processedKey(day)));
        keysAndArgs.add(expireAt);
        return keysAndArgs;
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
