package io.streamroutes.reliability;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.streamroutes.analytics.ReportReplay;
import io.streamroutes.component.redisstreams.RedisStreamsNonRetryableException;
import io.streamroutes.embedded.EmbeddedRedis;
import io.streamroutes.testsupport.ScenarioApp;
import org.apache.camel.builder.RouteBuilder;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Months of running compressed into seconds: each round is one day of business events (entry ids on that day, for
 * routes/analytics.yaml with a bookkeeping retention of 2 s) and a batch of task entries for a group consumer with the
 * options the task routes ship with (trimAcknowledgedAfter, a bounded dead-letter stream), durations scaled from
 * hours to seconds. Stream lengths, bookkeeping key counts and Redis memory are sampled: they must stay flat while the
 * totals grow, and a replay must still give the same reports. {@code -Dlongrun.days=N} runs longer (the
 * reliability-long profile runs 400 days).
 */
class LongRunIT {

    static final int DAYS = Integer.getInteger("longrun.days", 40);
    static final int EVENTS_PER_DAY = 300;
    static final int TASKS_PER_DAY = 300;
    static final int POISON_EVERY = 20;
    static final long DAY_MS = 86_400_000L;
    static final long FIRST_DAY = 1_577_836_800_000L; // 2020-01-01T00:00Z

    record Sample(int day, long tasks, long taskDeadLetters, long events, long bookkeepingKeys, long reports, long memoryWithoutEvents) {
    }

    @Test
    void streamLengthsKeyCountsAndMemoryStayFlat() throws Exception {
        try (EmbeddedRedis redis = EmbeddedRedis.start(); Jedis jedis = new Jedis(redis.host(), redis.port());
             ScenarioApp app = ScenarioApp.start(redis.host(), redis.port(), Map.of(
                     "analytics.block-ms", "100",
                     "analytics.bookkeeping-retention", "2s"), "routes/analytics.yaml")) {
            app.context().addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    // the task routes' shipped options (trim-acknowledged-after 1h, dead-letter.max-len 10000), scaled down
                    from("redis-streams:tasks?group=workers&block=100&count=100&trimAcknowledgedAfter=2s"
                         + "&deadLetterStream=tasks:dead-letter&deadLetterMaxLen=200")
                            .process(e -> {
                                if (Integer.parseInt(e.getIn().getBody(Map.class).get("n").toString()) % POISON_EVERY == 0) {
                                    throw new RedisStreamsNonRetryableException("poison task");
                                }
                            });
                }
            });
            List<Sample> samples = new ArrayList<>();
            int task = 0;
            for (int day = 0; day < DAYS; day++) {
                for (int i = 0; i < EVENTS_PER_DAY; i++) {
                    jedis.xadd("business:events", new StreamEntryID(FIRST_DAY + day * DAY_MS + i * 1000L, 0),
                            Map.of("type", i % 3 == 0 ? "order_paid" : "order_created", "order_id", "o" + i, "user_id", "u" + (i % 50),
                                    "amount", "250"));
                }
                for (int i = 0; i < TASKS_PER_DAY; i++) {
                    jedis.xadd("tasks", StreamEntryID.NEW_ENTRY, Map.of("n", Integer.toString(task++)));
                }
                Thread.sleep(500); // a simulated day passes
                if (day % 5 == 4 || day == DAYS - 1) {
                    samples.add(sample(jedis, day + 1));
                }
            }
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> jedis.xpending("business:events", "analytics").getTotal() == 0
                                                                        && jedis.xpending("tasks", "workers").getTotal() == 0
                                                                        && jedis.scard("report:days") == DAYS);
            Map<String, Map<String, String>> live = reports(jedis);
            ReportReplay replay = app.context().getRegistry().lookupByNameAndType("reportReplay", ReportReplay.class);
            replay.replay();
            assertEquals(live, reports(jedis), "a replay after the bookkeeping expired gives the same reports");
            assertEquals(Map.of("orders_created", "200", "orders_paid", "100", "revenue_cents", "25000", "users", "50", "ignored", "0"),
                    live.get("2020-01-01"));

            StringBuilder table = new StringBuilder("| simulated days | tasks XLEN | tasks:dead-letter XLEN | business:events XLEN | "
                                                    + "bookkeeping keys | report hashes | used_memory minus business:events |\n"
                                                    + "|---|---|---|---|---|---|---|\n");
            samples.forEach(s -> table.append("| %d | %d | %d | %d | %d | %d | %,d |%n".formatted(s.day(), s.tasks(), s.taskDeadLetters(),
                    s.events(), s.bookkeepingKeys(), s.reports(), s.memoryWithoutEvents())));
            ReliabilityReport.section("11-long-run", """
                    ## Long run, compressed

                    %d simulated days (one every 0.5 s): %d business events per day on routes/analytics.yaml with
                    `analytics.bookkeeping-retention=2s`, and %d task entries per day (1 in %d poison) for a group
                    consumer with `trimAcknowledgedAfter=2s&deadLetterMaxLen=200`. Totals written: %d events, %d tasks.

                    %s""".formatted(DAYS, EVENTS_PER_DAY, TASKS_PER_DAY, POISON_EVERY, DAYS * EVENTS_PER_DAY, task, table));

            Sample warm = samples.get(1);
            Sample last = samples.get(samples.size() - 1);
            for (Sample s : samples.subList(1, samples.size())) {
                assertTrue(s.tasks() <= 10 * TASKS_PER_DAY, "tasks stream bounded: " + s);
                assertTrue(s.taskDeadLetters() <= 200 + 100, "dead-letter stream bounded (MAXLEN ~ 200): " + s);
                assertTrue(s.bookkeepingKeys() <= 40, "bookkeeping keys bounded: " + s);
            }
            assertTrue(last.memoryWithoutEvents() < 2 * warm.memoryWithoutEvents() + 2_000_000,
                    "memory without business:events flat: " + warm + " -> " + last);
        }
    }

    private static Sample sample(Jedis jedis, int day) {
        long bookkeeping = countKeys(jedis, "report:processed:*") + countKeys(jedis, "report:users:*");
        long used = Long.parseLong(jedis.info("memory").lines().filter(l -> l.startsWith("used_memory:")).findFirst().orElseThrow()
                .substring("used_memory:".length()).trim());
        Long events = jedis.memoryUsage("business:events");
        return new Sample(day, jedis.xlen("tasks"), jedis.exists("tasks:dead-letter") ? jedis.xlen("tasks:dead-letter") : 0,
                jedis.xlen("business:events"), bookkeeping, countKeys(jedis, "report:daily:*"), used - (events == null ? 0 : events));
    }

    private static long countKeys(Jedis jedis, String pattern) {
        long n = 0;
        String cursor = ScanParams.SCAN_POINTER_START;
        do {
            ScanResult<String> page = jedis.scan(cursor, new ScanParams().match(pattern).count(1000));
            n += page.getResult().size();
            cursor = page.getCursor();
        } while (!ScanParams.SCAN_POINTER_START.equals(cursor));
        return n;
    }

    private static Map<String, Map<String, String>> reports(Jedis jedis) {
        Map<String, Map<String, String>> reports = new TreeMap<>();
        jedis.smembers("report:days").forEach(d -> reports.put(d, jedis.hgetAll("report:daily:" + d)));
        return reports;
    }
}
