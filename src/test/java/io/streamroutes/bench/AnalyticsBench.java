package io.streamroutes.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.locks.LockSupport;

import io.streamroutes.analytics.ReplaySummary;
import io.streamroutes.analytics.ReportReplay;
import io.streamroutes.examples.AnalyticsRoutes;
import org.apache.camel.CamelContext;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.params.XAddParams;
import redis.clients.jedis.params.XReadGroupParams;
import redis.clients.jedis.params.XReadParams;
import redis.clients.jedis.resps.StreamEntry;
import redis.clients.jedis.resps.StreamGroupInfo;

/**
 * The analytics scenario at Redis speed: the same business events (orders created and paid, other types, 31 UTC days)
 * read by a raw Jedis loop ({@code XREAD COUNT 1000}, the reference), read in a consumer group by a raw Jedis loop
 * ({@code XREADGROUP COUNT 1000}, each page's {@code XACK} sent with the next read: what the group alone costs),
 * rebuilt into the daily reports by {@code --replay analytics}' {@link ReportReplay}, and counted by the live route
 * {@code analytics-events} (the application's {@link AnalyticsRoutes}, batching) from a backlog, in
 * {@link AlternatingRounds}. Each run starts from a fresh copy of the stream and no reports, and checks that every
 * entry was read or counted.
 */
final class AnalyticsBench {

    static final String RAW_READ = "raw-xread-1000";
    static final String RAW_GROUP_READ = "raw-xreadgroup-1000";
    static final String REPLAY = "analytics-replay";
    static final String LIVE = "analytics-live";
    private static final String STREAM = "business:events";
    private static final String GROUP = "analytics";
    private static final String SOURCE = "bench:business-source";
    private static final long DAY_MS = 86_400_000L;
    private static final long START_MS = 1_764_547_200_000L; // 2025-12-01T00:00Z

    private final BenchRedis redis;
    private final Jedis admin;
    private final BenchOptions options;
    private final RedisCpu redisCpu;

    AnalyticsBench(BenchRedis redis, Jedis admin, BenchOptions options, RedisCpu redisCpu) {
        this.redis = redis;
        this.admin = admin;
        this.options = options;
        this.redisCpu = redisCpu;
    }

    List<ContestantResult> measure() throws Exception {
        List<String> ids = new ArrayList<>(List.of(RAW_READ, RAW_GROUP_READ, REPLAY, LIVE));
        ids.removeIf(id -> !options.runs(id));
        if (ids.isEmpty()) {
            return List.of();
        }
        fill(admin, SOURCE, options.entries());
        CamelContext context = analyticsContext();
        try {
            AlternatingRounds.Outcome outcome = AlternatingRounds.run(ids.size(), options,
                    (i, entries, problems) -> run(context, ids.get(i), entries, problems));
            List<ContestantResult> results = new ArrayList<>();
            for (int i = 0; i < ids.size(); i++) {
                results.add(ContestantResult.of(ids.get(i), name(ids.get(i)), "analytics", outcome.runs().get(i), new LatencyRecorder(0),
                        outcome.problems().get(i)));
            }
            return results;
        } finally {
            context.stop();
            admin.del(SOURCE, STREAM);
            clearReports();
        }
    }

    private static String name(String id) {
        return switch (id) {
            case RAW_READ -> "raw Jedis XREAD COUNT 1000 (business events)";
            case RAW_GROUP_READ -> "raw Jedis XREADGROUP COUNT 1000 + XACK";
            case REPLAY -> "analytics replay (--replay analytics)";
            default -> "analytics live route, backlog (batching)";
        };
    }

    /** The application's analytics routes on the benchmark's Redis; the live route is started by each run. */
    private CamelContext analyticsContext() throws Exception {
        CamelContext context = RouteDrainer.newContext(redis);
        Properties properties = new Properties();
        properties.put("analytics.enabled", "false");
        properties.put("analytics.consumer", "bench");
        properties.put("analytics.block-ms", "100");
        context.getPropertiesComponent().setInitialProperties(properties);
        context.getShutdownStrategy().setTimeout(10);
        context.addRoutes(new AnalyticsRoutes());
        context.start();
        return context;
    }

    private RunFigures run(CamelContext context, String id, int entries, List<String> problems) throws Exception {
        copy(entries);
        if (LIVE.equals(id) || RAW_GROUP_READ.equals(id)) {
            admin.xgroupCreate(STREAM, GROUP, new StreamEntryID(0, 0), false);
        }
        ResourceMeter meter = new ResourceMeter();
        meter.reset();
        long redisAtStart = redisCpu.micros();
        ThreadCpu cpu = ThreadCpu.start();
        long start = System.nanoTime();
        cpu.beginCaller();
        switch (id) {
            case RAW_READ -> check(problems, id, rawRead(entries), entries);
            case RAW_GROUP_READ -> check(problems, id, rawGroupRead(), entries);
            case REPLAY -> {
                ReplaySummary summary = context.getRegistry().lookupByNameAndType("reportReplay", ReportReplay.class).replay();
                check(problems, id, summary.counted(), entries);
            }
            default -> {
                context.getRouteController().startRoute("analytics-events");
                awaitLiveRouteDone(entries, problems);
            }
        }
        cpu.endCaller();
        RunFigures figures = RunFigures.of(entries, System.nanoTime() - start, cpu, meter, redisCpu, redisAtStart);
        if (LIVE.equals(id)) {
            context.getRouteController().stopRoute("analytics-events");
            check(problems, id, countedInReports(), entries);
        }
        return figures;
    }

    /** Reads the stream from the start in pages of 1000, touching each entry's fields; returns the entries read. */
    private long rawRead(int entries) {
        try (Jedis jedis = redis.newJedis()) {
            StreamEntryID cursor = new StreamEntryID(0, 0);
            long read = 0;
            long fields = 0;
            while (read < entries) {
                var reply = jedis.xread(XReadParams.xReadParams().count(1000), Map.of(STREAM, cursor));
                if (reply == null || reply.isEmpty()) {
                    break;
                }
                List<StreamEntry> page = reply.get(0).getValue();
                for (StreamEntry entry : page) {
                    fields += entry.getFields().size();
                }
                read += page.size();
                cursor = page.get(page.size() - 1).getID();
            }
            return fields > 0 ? read : 0;
        }
    }

    /**
     * Reads the stream in the group in pages of 1000, touching each entry's fields, each page's XACK pipelined with the
     * next XREADGROUP (one round trip per page); returns the entries read once the last page is acked.
     */
    private long rawGroupRead() {
        try (Jedis jedis = redis.newJedis()) {
            Pipeline pipeline = new Pipeline(jedis.getConnection());
            XReadGroupParams params = XReadGroupParams.xReadGroupParams().count(1000);
            List<StreamEntry> page = JedisAckReadCalls.ackThenReadGroup(pipeline, STREAM, GROUP, List.of(), params);
            long read = 0;
            long fields = 0;
            while (!page.isEmpty()) {
                for (StreamEntry entry : page) {
                    fields += entry.getFields().size();
                }
                read += page.size();
                page = JedisAckReadCalls.ackThenReadGroup(pipeline, STREAM, GROUP, page, params);
            }
            return fields > 0 && admin.xpending(STREAM, GROUP).getTotal() == 0 ? read : 0;
        }
    }

    /** Waits until the group has been handed the last entry and acked everything (no CPU to speak of: 1 ms polls). */
    private void awaitLiveRouteDone(int entries, List<String> problems) {
        long deadline = System.nanoTime() + (30_000L + entries) * 1_000_000L;
        String last = admin.xinfoStream(STREAM).getLastEntry().getID().toString();
        while (System.nanoTime() < deadline) {
            StreamGroupInfo group = admin.xinfoGroups(STREAM).get(0);
            if (group.getLastDeliveredId().toString().equals(last) && group.getPending() == 0) {
                return;
            }
            LockSupport.parkNanos(1_000_000);
        }
        problems.add(LIVE + ": not done in time");
    }

    private long countedInReports() {
        long counted = 0;
        for (String key : admin.keys("report:daily:*")) {
            Map<String, String> report = admin.hgetAll(key);
            counted += Long.parseLong(report.get("orders_created")) + Long.parseLong(report.get("orders_paid"))
                       + Long.parseLong(report.get("ignored"));
        }
        return counted;
    }

    private static void check(List<String> problems, String id, long done, int entries) {
        if (done != entries) {
            problems.add(id + ": " + done + " of " + entries);
        }
    }

    /** A fresh business:events with the first {@code entries} events and no reports. */
    private void copy(int entries) {
        admin.del(STREAM);
        clearReports();
        if (entries == admin.xlen(SOURCE)) {
            admin.copy(SOURCE, STREAM, true);
        } else {
            fill(admin, STREAM, entries);
        }
    }

    private void clearReports() {
        List<String> keys = new ArrayList<>(admin.keys("report:*"));
        for (int i = 0; i < keys.size(); i += 500) {
            admin.del(keys.subList(i, Math.min(keys.size(), i + 500)).toArray(String[]::new));
        }
    }

    /** {@code entries} business events spread over 31 UTC days: 45% orders created, 45% paid, 10% other types. */
    static void fill(Jedis jedis, String key, int entries) {
        jedis.del(key);
        Pipeline pipeline = new Pipeline(jedis.getConnection());
        long step = Math.max(1, 31 * DAY_MS / Math.max(1, entries));
        for (int i = 0; i < entries; i++) {
            Map<String, String> fields = new LinkedHashMap<>(6);
            int kind = i % 20;
            fields.put("type", kind < 9 ? "order_created" : kind < 18 ? "order_paid" : "page_viewed");
            fields.put("order_id", Integer.toString(1000 + i / 2));
            fields.put("user_id", Integer.toString(i % 5000));
            if (kind >= 9 && kind < 18) {
                fields.put("amount", Integer.toString(100 + i % 9900));
            }
            pipeline.xadd(key, XAddParams.xAddParams().id(new StreamEntryID(START_MS + i * step, 0)), fields);
            if (i % 1000 == 999) {
                pipeline.sync();
            }
        }
        pipeline.sync();
    }
}
