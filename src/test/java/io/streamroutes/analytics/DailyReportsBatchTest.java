package io.streamroutes.analytics;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import io.streamroutes.component.redisstreams.RedisStreamsComponent;
import io.streamroutes.component.redisstreams.client.RedisStreamsClient;
import io.streamroutes.testsupport.EmbeddedRedisExtension;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The reports counted in batches (one script call per UTC day of a batch) against the same events' reports computed
 * here independently, and against counting the same events one by one: identical, byte for byte, whatever the batch
 * sizes and however often an entry is counted again.
 */
class DailyReportsBatchTest {

    @RegisterExtension
    static final EmbeddedRedisExtension redis = new EmbeddedRedisExtension();

    private static final long DAY_MS = 86_400_000L;
    private static final long START = 1_700_000_000_000L; // 2023-11-14 22:13:20Z

    private DefaultCamelContext context;
    private DailyReports reports;
    private Jedis jedis;

    @BeforeEach
    void start() {
        jedis = new Jedis(redis.host(), redis.port());
        jedis.flushAll();
        context = new DefaultCamelContext();
        RedisStreamsComponent component = new RedisStreamsComponent();
        component.getConfiguration().setHost(redis.host());
        component.getConfiguration().setPort(redis.port());
        context.addComponent("redis-streams", component);
        context.start();
        reports = new DailyReports();
        reports.setCamelContext(context);
    }

    @AfterEach
    void stop() {
        context.stop();
        jedis.close();
    }

    /** Events over three UTC days: orders created and paid (amounts up to 12 digits), other types, repeated users. */
    private static List<BusinessEvent> events(int n, long seed) {
        Random random = new Random(seed);
        List<BusinessEvent> events = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String id = (START + i * (3 * DAY_MS / n)) + "-" + (i % 3);
            int kind = random.nextInt(10);
            String type = kind < 4 ? BusinessEvent.ORDER_CREATED : kind < 8 ? BusinessEvent.ORDER_PAID : "page_viewed";
            long amount = type.equals(BusinessEvent.ORDER_PAID) ? (random.nextBoolean() ? 999_999_999_999L : random.nextInt(100_000)) : 0;
            String user = kind < 8 ? "u" + random.nextInt(300) : "";
            events.add(new BusinessEvent(id, BusinessEvent.day(id), type, user, amount));
        }
        return events;
    }

    /** The reports the events must give, computed without Redis. */
    private static Map<String, Map<String, String>> expected(List<BusinessEvent> events) {
        Map<String, long[]> counts = new TreeMap<>();
        Map<String, Set<String>> users = new TreeMap<>();
        for (BusinessEvent e : events) {
            long[] c = counts.computeIfAbsent(e.day(), d -> new long[4]);
            switch (e.type()) {
                case BusinessEvent.ORDER_CREATED -> c[0]++;
                case BusinessEvent.ORDER_PAID -> {
                    c[1]++;
                    c[2] += e.amountCents();
                }
                default -> c[3]++;
            }
            if (!e.userId().isEmpty()) {
                users.computeIfAbsent(e.day(), d -> new HashSet<>()).add(e.userId());
            }
        }
        Map<String, Map<String, String>> result = new TreeMap<>();
        counts.forEach((day, c) -> result.put(DailyReports.REPORT_PREFIX + day, Map.of("orders_created", Long.toString(c[0]),
                "orders_paid", Long.toString(c[1]), "revenue_cents", Long.toString(c[2]),
                "users", Integer.toString(users.getOrDefault(day, Set.of()).size()), "ignored", Long.toString(c[3]))));
        return result;
    }

    private Map<String, Map<String, String>> stored() {
        Map<String, Map<String, String>> result = new TreeMap<>();
        for (String key : jedis.keys(DailyReports.REPORT_PREFIX + "*")) {
            result.put(key, jedis.hgetAll(key));
        }
        return result;
    }

    /** Every report as its raw HGETALL reply: field order and value bytes included. */
    @SuppressWarnings("unchecked")
    private Map<String, List<String>> raw() {
        Map<String, List<String>> result = new TreeMap<>();
        for (String key : jedis.keys("report:daily:*")) {
            List<String> fields = new ArrayList<>();
            ((List<byte[]>) jedis.sendCommand(Protocol.Command.HGETALL, key)).forEach(b -> fields.add(new String(b, StandardCharsets.ISO_8859_1)));
            result.put(key, fields);
        }
        return result;
    }

    @Test
    void batchesGiveTheReportsComputedIndependentlyAndTheSameAsOneByOne() {
        List<BusinessEvent> events = events(3000, 7);
        long counted;
        try (RedisStreamsClient client = reports.client()) {
            counted = reports.countOnce(client, events);
        }
        assertEquals(events.size(), counted);
        assertEquals(expected(events), stored());
        Map<String, List<String>> batched = raw();

        jedis.flushAll();
        try (RedisStreamsClient client = reports.client()) {
            for (BusinessEvent event : events) {
                assertEquals(1, reports.countOnce(client, List.of(event)));
            }
        }
        assertEquals(batched, raw(), "one by one gives byte-identical reports");
        assertEquals(Set.of("2023-11-14", "2023-11-15", "2023-11-16", "2023-11-17"), jedis.smembers(DailyReports.DAYS));
    }

    @Test
    void anEntryCountedAgainInAnyBatchIsCountedOnce() {
        List<BusinessEvent> events = events(2000, 11);
        Random random = new Random(3);
        long counted = 0;
        try (RedisStreamsClient client = reports.client()) {
            int from = 0;
            while (from < events.size()) {
                int to = Math.min(events.size(), from + 1 + random.nextInt(400));
                // each batch also repeats some entries of earlier batches, and one of its own
                List<BusinessEvent> batch = new ArrayList<>(events.subList(from, to));
                for (int i = 0; i < 20 && from > 0; i++) {
                    batch.add(events.get(random.nextInt(from)));
                }
                batch.add(batch.get(0));
                counted += reports.countOnce(client, batch);
                from = to;
            }
        }
        assertEquals(events.size(), counted);
        assertEquals(expected(events), stored());
    }

    @Test
    void aDaysRevenueStaysExactPastWhatADoubleHolds() {
        List<BusinessEvent> events = largePaymentsOfOneDay();
        try (RedisStreamsClient client = reports.client()) {
            assertEquals(9000, reports.countOnce(client, events));
        }
        assertEquals(expected(events), stored());
    }

    @Test
    void countingNewEntriesFromTotalsLeavesTheSameDataAsCountingEventByEvent() {
        List<BusinessEvent> events = events(3000, 5);
        long now = System.currentTimeMillis();
        reports.setClock(() -> now);
        try (RedisStreamsClient client = reports.client()) {
            assertEquals(events.size(), reports.countOnce(client, events));
        }
        Map<String, String> fromTotals = everything();

        jedis.flushAll();
        try (RedisStreamsClient client = reports.client()) {
            assertEquals(events.size(), countEventByEvent(client, events, now));
        }
        assertEquals(everything(), fromTotals, "reports (byte for byte), users, counted ids, expiries, day index");
    }

    @Test
    void aBatchWithSomeEntriesCountedBeforeCountsOnlyTheOthers() {
        List<BusinessEvent> events = events(1500, 13);
        try (RedisStreamsClient client = reports.client()) {
            // every 7th entry counted before, e.g. by a replay racing the live route
            List<BusinessEvent> before = new ArrayList<>();
            for (int i = 0; i < events.size(); i += 7) {
                before.add(events.get(i));
            }
            assertEquals(before.size(), reports.countOnce(client, before));
            assertEquals(events.size() - before.size(), reports.countOnce(client, events));
            assertEquals(0, reports.countOnce(client, events));
        }
        assertEquals(expected(events), stored());
    }

    @Test
    void aDaysRevenueStaysExactPastWhatADoubleHoldsWhenCountedEventByEvent() {
        List<BusinessEvent> events = largePaymentsOfOneDay();
        try (RedisStreamsClient client = reports.client()) {
            // one entry counted before: the 9000 are then counted event by event
            assertEquals(1, reports.countOnce(client, events.subList(8999, 9000)));
            assertEquals(8999, reports.countOnce(client, events));
        }
        assertEquals(expected(events), stored());
    }

    /** 9000 payments of nearly 10^12 cents on one day: their sum is past what a double holds exactly (2^53). */
    private static List<BusinessEvent> largePaymentsOfOneDay() {
        List<BusinessEvent> events = new ArrayList<>();
        for (int i = 0; i < 9000; i++) {
            String id = START + "-" + i;
            events.add(new BusinessEvent(id, BusinessEvent.day(id), BusinessEvent.ORDER_PAID, "u" + i % 5, 999_999_999_999L - i));
        }
        return events;
    }

    /** What {@link DailyReports#RECORD_SCRIPT} alone leaves: one call per day with four arguments per event. */
    private static long countEventByEvent(RedisStreamsClient client, List<BusinessEvent> events, long now) {
        Map<String, List<BusinessEvent>> byDay = new TreeMap<>();
        events.forEach(e -> byDay.computeIfAbsent(e.day(), d -> new ArrayList<>()).add(e));
        long counted = 0;
        for (Map.Entry<String, List<BusinessEvent>> day : byDay.entrySet()) {
            client.exec(DailyReports.DAYS, "SADD", bytes(DailyReports.DAYS), bytes(day.getKey()));
            List<String> keysAndArgs = new ArrayList<>(List.of(DailyReports.REPORT_PREFIX + day.getKey(),
                    DailyReports.usersKey(day.getKey()), DailyReports.processedKey(day.getKey()), Long.toString(BookkeepingExpiry.expireAt(day.getKey(), now, DAY_MS * 7))));
            for (BusinessEvent e : day.getValue()) {
                keysAndArgs.addAll(List.of(e.entryId(), e.type(), e.userId(), Long.toString(e.amountCents())));
            }
            counted += (Long) client.eval(DailyReports.RECORD_SCRIPT, 3, keysAndArgs.toArray(String[]::new));
        }
        return counted;
    }

    /** Every key: reports as raw HGETALL, sets sorted, with each key's time to live in hours (the run takes seconds). */
    private Map<String, String> everything() {
        Map<String, String> result = new TreeMap<>();
        raw().forEach((key, fields) -> result.put(key, fields.toString()));
        for (String key : jedis.keys("*")) {
            if (jedis.type(key).equals("set")) {
                result.put(key, new TreeSet<>(jedis.smembers(key)).toString());
            }
            long ttl = jedis.pttl(key);
            result.put(key + " expires", ttl < 0 ? Long.toString(ttl) : "in " + Math.round(ttl / 3_600_000.0) + " h");
        }
        return result;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
