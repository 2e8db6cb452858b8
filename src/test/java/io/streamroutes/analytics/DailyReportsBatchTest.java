package io.streamroutes.analytics;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

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
        List<BusinessEvent> events = new ArrayList<>();
        for (int i = 0; i < 9000; i++) {
            String id = START + "-" + i;
            events.add(new BusinessEvent(id, BusinessEvent.day(id), BusinessEvent.ORDER_PAID, "u" + i % 5, 999_999_999_999L - i));
        }
        try (RedisStreamsClient client = reports.client()) {
            assertEquals(9000, reports.countOnce(client, events));
        }
        assertEquals(expected(events), stored());
    }
}
