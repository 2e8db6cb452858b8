package io.streamroutes.analytics;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.streamroutes.component.redisstreams.RedisStreamsConsumer;
import io.streamroutes.testsupport.Await;
import io.streamroutes.testsupport.EmbeddedRedisExtension;
import io.streamroutes.testsupport.ScenarioApp;
import org.apache.camel.ServiceStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.params.XReadGroupParams;
import redis.clients.jedis.resps.StreamEntry;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * routes/analytics.yaml end to end: the real application against a real Redis; events added as redis-cli would,
 * with explicit ids where the UTC day matters.
 */
class AnalyticsScenarioTest {

    @RegisterExtension
    static final EmbeddedRedisExtension redis = new EmbeddedRedisExtension();
    ScenarioApp app;
    Jedis jedis;

    @BeforeEach
    void startApp() throws Exception {
        jedis = new Jedis(redis.host(), redis.port());
        jedis.flushAll();
        app = ScenarioApp.start(redis.host(), redis.port(), Map.of(
                "analytics.block-ms", "200",
                "analytics.min-idle-time-ms", "400",
                "analytics.claim-interval-ms", "200",
                "analytics.max-deliveries", "3"), "routes/analytics.yaml");
    }

    @AfterEach
    void stopApp() {
        if (app != null) {
            app.close();
        }
        jedis.close();
    }

    @Test
    void countsPerUtcDayOfTheEntryIdAndReplayRebuildsIdenticalReports() {
        xadd("1700000000000-0", "type", "order_created", "order_id", "1001", "user_id", "123");   // 2023-11-14 22:13:20Z
        xadd("1700000000000-1", "type", "order_paid", "order_id", "1001", "user_id", "123", "amount", "1999");
        xadd("1700006399999-0", "type", "order_created", "order_id", "1002", "user_id", "124");   // 2023-11-14 23:59:59.999Z
        xadd("1700006400000-0", "type", "order_paid", "order_id", "1002", "user_id", "124", "amount", "500"); // 2023-11-15 00:00Z
        xadd("1700006400001-0", "type", "order_paid", "order_id", "1003", "user_id", "123");      // no amount
        xadd("1700006400002-0", "type", "page_view", "user_id", "999");                          // unknown type
        xadd("1700006400003-0", "type", "order_created", "user_id", "125");                      // malformed
        // the seed's own command, with an id chosen by Redis
        String now = xadd("*", "type", "order_created", "order_id", "1001", "user_id", "123");
        String today = LocalDate.ofInstant(Instant.ofEpochMilli(Long.parseLong(now.split("-")[0])), ZoneOffset.UTC).toString();
        awaitAllProcessed(8);

        assertEquals(report(2, 1, 1999, 2, 0), jedis.hgetAll("report:daily:2023-11-14"));
        assertEquals(report(0, 2, 500, 2, 1), jedis.hgetAll("report:daily:2023-11-15"));
        assertEquals(report(1, 0, 0, 1, 0), jedis.hgetAll("report:daily:" + today));
        List<Map<String, String>> dead = deadLetters();
        assertEquals(1, dead.size());
        assertEquals("1700006400003-0", dead.get(0).get("x-source-id"));
        assertTrue(dead.get(0).get("x-error").contains("missing order_id on order_created"), dead.get(0).get("x-error"));

        Map<String, List<String>> live = snapshotReports();
        assertEquals(3, live.size());
        // damage the reports so that the replay has something to repair: a wrong count and a stale day
        jedis.hset("report:daily:2023-11-14", "orders_created", "999");
        jedis.hset("report:daily:1999-01-01", "orders_created", "5");
        jedis.sadd("report:days", "1999-01-01");

        ReplaySummary summary = replay().replay();

        assertEquals(live, snapshotReports(), "replay gives byte-identical reports");
        assertEquals(8, summary.entriesRead());
        assertEquals(7, summary.counted());
        assertEquals(1, summary.malformed());
        assertEquals(1, summary.ignored());
        assertEquals(List.of("2023-11-14", "2023-11-15", today), summary.days());
        assertEquals(now, summary.lastId());
        assertEquals(1, deadLetters().size(), "a replay does not dead-letter again");
    }

    @Test
    void anEntryDeliveredAgainIsNotCountedTwice() throws Exception {
        for (int i = 0; i < 20; i++) {
            xadd("*", "type", i % 2 == 0 ? "order_created" : "order_paid", "order_id", "10" + i / 2, "user_id", "u" + i % 7,
                    "amount", "100");
        }
        awaitAllProcessed(20);
        Map<String, List<String>> before = snapshotReports();
        long completed = completedExchanges();

        // the whole group is moved back to the start, as after a restore: every entry is delivered a second time
        jedis.xgroupSetID("business:events", "analytics", new StreamEntryID(0, 0));
        await("second delivery of all 20").atMost(Duration.ofSeconds(20)).until(() -> completedExchanges() >= completed + 20);
        awaitNothingPending();
        assertEquals(before, snapshotReports());

        // a worker counted an entry, then died before acking it: XAUTOCLAIM hands it to the live consumer
        app.context().getRouteController().stopRoute("analytics-events");
        String id = xadd("*", "type", "order_paid", "order_id", "2001", "user_id", "u-new", "amount", "700");
        List<Map.Entry<String, List<StreamEntry>>> claimed = jedis.xreadGroup("analytics", "crashed-worker",
                XReadGroupParams.xReadGroupParams().count(1), Map.of("business:events", StreamEntryID.XREADGROUP_UNDELIVERED_ENTRY));
        assertEquals(id, claimed.get(0).getValue().get(0).getID().toString());
        DailyReports reports = app.context().getRegistry().lookupByNameAndType("dailyReports", DailyReports.class);
        assertTrue(reports.record(claimed.get(0).getValue().get(0).getFields(), id));
        String day = BusinessEvent.day(id);
        Map<String, String> counted = jedis.hgetAll("report:daily:" + day);
        app.context().getRouteController().startRoute("analytics-events");
        await("claimed from crashed-worker and acked").atMost(Duration.ofSeconds(20))
                .until(() -> jedis.xpending("business:events", "analytics").getTotal() == 0);
        assertEquals(counted, jedis.hgetAll("report:daily:" + day));
        assertTrue(jedis.xinfoConsumers2("business:events", "analytics").stream()
                .anyMatch(c -> !c.getName().equals("crashed-worker") && c.getName().endsWith("-" + ProcessHandle.current().pid())),
                "the default consumer name is host based");
    }

    @Test
    void malformedEventsGoToTheDeadLetterStreamAndUnknownTypesAreIgnored() {
        xadd("1700000000000-0", "type", "order_paid", "user_id", "123", "amount", "100");
        xadd("1700000000000-1", "type", "order_paid", "order_id", "1", "user_id", "123", "amount", "12.50");
        xadd("1700000000000-2", "type", "order_paid", "order_id", "1", "user_id", "123", "amount", "-5");
        xadd("1700000000000-3", "type", "order_created", "order_id", "1");
        xadd("1700000000000-4", "order_id", "1", "user_id", "123");
        xadd("1700000000000-5", "type", "refund_requested", "order_id", "1", "user_id", "123");
        awaitAllProcessed(6);
        List<Map<String, String>> dead = deadLetters();
        assertEquals(5, dead.size());
        List<String> errors = dead.stream().map(d -> d.get("x-error")).toList();
        assertTrue(errors.get(0).contains("missing order_id on order_paid"), errors.get(0));
        assertTrue(errors.get(1).contains("amount must be whole cents") && errors.get(1).contains("'12.50'"), errors.get(1));
        assertTrue(errors.get(2).contains("'-5'"), errors.get(2));
        assertTrue(errors.get(3).contains("missing user_id"), errors.get(3));
        assertTrue(errors.get(4).contains("missing type"), errors.get(4));
        assertTrue(errors.stream().allMatch(e -> e.startsWith("io.streamroutes.component.redisstreams.RedisStreamsNonRetryableException")));
        assertTrue(dead.stream().allMatch(d -> "1".equals(d.get("x-delivery-count"))), "dead-lettered at the first delivery");
        assertEquals("business:events", dead.get(0).get("x-source-stream"));
        assertEquals("analytics", dead.get(0).get("x-group"));
        assertEquals(report(0, 0, 0, 0, 1), jedis.hgetAll("report:daily:2023-11-14"));
    }

    @Test
    void replayRouteStartedOnDemandRebuildsAndStopsItself() throws Exception {
        xadd("1700000000000-0", "type", "order_created", "order_id", "1001", "user_id", "123");
        xadd("1700000000001-0", "type", "order_paid", "order_id", "1001", "user_id", "123", "amount", "250");
        awaitAllProcessed(2);
        Map<String, List<String>> live = snapshotReports();
        assertEquals(ServiceStatus.Stopped, app.context().getRouteController().getRouteStatus("analytics-replay"));
        for (int run = 1; run <= 2; run++) {
            jedis.del("report:daily:2023-11-14");
            app.context().getRouteController().startRoute("analytics-replay");
            await("replay run " + run).atMost(Duration.ofSeconds(20)).until(() -> !jedis.hgetAll("report:daily:2023-11-14").isEmpty()
                                            && app.context().getRouteController().getRouteStatus("analytics-replay").isStopped());
            assertEquals(live, snapshotReports());
        }
    }

    @Test
    void replayWhileTheLiveRouteKeepsCountingCountsEveryEntryOnce() throws Exception {
        // enough that the live route (batches of 1000) cannot count them all between the replay's clear and its first
        // page: the replay must count some itself
        int n = 30000;
        long revenue = 0;
        Pipeline p = jedis.pipelined();
        for (int i = 0; i < n; i++) {
            Map<String, String> f = new LinkedHashMap<>();
            f.put("type", i % 3 == 0 ? "order_created" : i % 3 == 1 ? "order_paid" : "cart_viewed");
            f.put("order_id", Integer.toString(i));
            f.put("user_id", "u" + i % 50);
            f.put("amount", Integer.toString(i));
            if (i % 3 == 1) {
                revenue += i;
            }
            // two days: 2023-11-14 and 2023-11-15
            p.xadd("business:events", new StreamEntryID(1700006399000L + i, 0), f);
        }
        p.sync();
        // the live route is still working through the entries while this replay clears and recounts
        ReplaySummary summary = replay().replay();
        // every entry delivered to the live route again, racing a second replay
        jedis.xgroupSetID("business:events", "analytics", new StreamEntryID(0, 0));
        ReplaySummary second = replay().replay();
        awaitNothingPending();
        await("live route caught up").atMost(Duration.ofSeconds(20)).until(() -> "0".equals(String.valueOf(lagBehindLast())));
        Map<String, String> d1 = jedis.hgetAll("report:daily:2023-11-14");
        Map<String, String> d2 = jedis.hgetAll("report:daily:2023-11-15");
        assertEquals(n / 3, Long.parseLong(d1.get("orders_created")) + Long.parseLong(d2.get("orders_created")));
        assertEquals(n / 3, Long.parseLong(d1.get("orders_paid")) + Long.parseLong(d2.get("orders_paid")));
        assertEquals(n / 3, Long.parseLong(d1.get("ignored")) + Long.parseLong(d2.get("ignored")));
        assertEquals(revenue, Long.parseLong(d1.get("revenue_cents")) + Long.parseLong(d2.get("revenue_cents")));
        assertEquals("50", d1.get("users"));
        assertEquals("50", d2.get("users"));
        assertEquals(n, summary.entriesRead());
        assertEquals(n, summary.counted() + summary.alreadyCounted());
        assertEquals(n, second.entriesRead());
        assertNotEquals(0, summary.counted());
    }

    @Test
    void scenarioCanBeSwitchedOff() throws Exception {
        app.close();
        app = ScenarioApp.start(redis.host(), redis.port(), Map.of("analytics.enabled", "false", "analytics.block-ms", "200"),
                "routes/analytics.yaml");
        assertEquals(ServiceStatus.Stopped, app.context().getRouteController().getRouteStatus("analytics-events"));
        xadd("1700000000000-0", "type", "order_created", "order_id", "1001", "user_id", "123");
        Await.holds("a disabled route counts nothing", Duration.ofMillis(500), () -> jedis.keys("report:*").isEmpty());
        // a replay still works while the live route is off
        assertEquals(1, replay().replay().counted());
        assertEquals(report(1, 0, 0, 1, 0), jedis.hgetAll("report:daily:2023-11-14"));
    }

    @Test
    void replayAnnotationsWorkAsJmxOperation() throws Exception {
        xadd("1700000000000-0", "type", "order_created", "order_id", "1001", "user_id", "123");
        awaitAllProcessed(1);
        // how the application can expose the bean over JMX (ManagementAgent reads @ManagedResource/@ManagedOperation)
        javax.management.ObjectName name = new javax.management.ObjectName(
                "org.apache.camel:context=" + app.context().getManagementName() + ",type=services,name=reportReplay");
        app.context().getManagementStrategy().getManagementAgent().register(replay(), name);
        Object reply = app.context().getManagementStrategy().getManagementAgent().getMBeanServer()
                .invoke(name, "replayReports", new Object[0], new String[0]);
        assertTrue(String.valueOf(reply).startsWith("replayed 1 entries of business:events up to 1700000000000-0"), String.valueOf(reply));
        assertEquals(report(1, 0, 0, 1, 0), jedis.hgetAll("report:daily:2023-11-14"));
    }

    // --- helpers ---

    private String xadd(String id, String... fieldsAndValues) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < fieldsAndValues.length; i += 2) {
            map.put(fieldsAndValues[i], fieldsAndValues[i + 1]);
        }
        StreamEntryID entryId = "*".equals(id) ? StreamEntryID.NEW_ENTRY : new StreamEntryID(id);
        return jedis.xadd("business:events", entryId, map).toString();
    }

    private ReportReplay replay() {
        return app.context().getRegistry().lookupByNameAndType("reportReplay", ReportReplay.class);
    }

    private static Map<String, String> report(long created, long paid, long revenue, long users, long ignored) {
        return Map.of("orders_created", Long.toString(created), "orders_paid", Long.toString(paid), "revenue_cents",
                Long.toString(revenue), "users", Long.toString(users), "ignored", Long.toString(ignored));
    }

    /** Every report:daily:* hash as its raw HGETALL reply: field order and value bytes included. */
    @SuppressWarnings("unchecked")
    private Map<String, List<String>> snapshotReports() {
        Map<String, List<String>> reports = new TreeMap<>();
        for (String key : jedis.keys("report:daily:*")) {
            List<byte[]> reply = (List<byte[]>) jedis.sendCommand(Protocol.Command.HGETALL, key);
            List<String> fields = new ArrayList<>();
            reply.forEach(b -> fields.add(new String(b, StandardCharsets.ISO_8859_1)));
            reports.put(key, fields);
        }
        return reports;
    }

    private List<Map<String, String>> deadLetters() {
        return jedis.xrange("business:dead-letter", (StreamEntryID) null, (StreamEntryID) null).stream()
                .map(StreamEntry::getFields).toList();
    }

    /** Entries the live route was handed (its exchanges carry batches of them). */
    private long completedExchanges() {
        return ((RedisStreamsConsumer) app.context().getRoute("analytics-events").getConsumer()).getStatistics().getDelivered();
    }

    /** Entries not yet delivered to the group: 0 once the group's last delivered id is the stream's last id. */
    private long lagBehindLast() {
        String last = jedis.xinfoStream("business:events").getLastEntry().getID().toString();
        String delivered = jedis.xinfoGroups("business:events").get(0).getLastDeliveredId().toString();
        return last.equals(delivered) ? 0 : 1;
    }

    private void awaitAllProcessed(int entries) {
        await("all " + entries + " delivered").atMost(Duration.ofSeconds(20))
                .until(() -> jedis.exists("business:events") && lagBehindLast() == 0);
        awaitNothingPending();
    }

    private void awaitNothingPending() {
        await("nothing pending").atMost(Duration.ofSeconds(20)).until(() -> jedis.xpending("business:events", "analytics").getTotal() == 0);
    }
}
