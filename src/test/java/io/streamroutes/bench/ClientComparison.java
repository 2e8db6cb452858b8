package io.streamroutes.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Jedis against Lettuce for the reader's pipelining (issue 13, point 2: "measure before choosing"): a raw Lettuce async
 * loop against the raw Jedis loop, and a read-ahead loop of each. Same stream, COUNT, Redis and sink; see
 * docs/reader-parts.md.
 */
final class ClientComparison {

    static final String RAW_LETTUCE = "raw-lettuce";
    static final String JEDIS_READ_AHEAD = "jedis-readahead";
    static final String LETTUCE_READ_AHEAD = "lettuce-readahead";

    private ClientComparison() {
    }

    /** The given drainers, then this comparison's. */
    static List<Supplier<Drainer>> plusDrainers(List<Supplier<Drainer>> drainers, BenchRedis redis) {
        List<Supplier<Drainer>> all = new ArrayList<>(drainers);
        all.add(() -> new AckReadLoopDrainer<>(RAW_LETTUCE, "raw Lettuce async loop",
                key -> new LettuceAckReadCalls(redis, key), false));
        all.add(() -> new AckReadLoopDrainer<>(JEDIS_READ_AHEAD, "Jedis read-ahead (2nd thread)",
                key -> new JedisAckReadCalls(redis, key), true));
        all.add(() -> new AckReadLoopDrainer<>(LETTUCE_READ_AHEAD, "Lettuce async read-ahead",
                key -> new LettuceAckReadCalls(redis, key), true));
        return all;
    }

    /** Lettuce / Jedis, entries/s and CPU per entry, for the pairs that ran. */
    static void addRatios(BenchReport report, Map<String, Double> ratios) {
        pair(report, ratios, "raw Lettuce loop / raw Jedis loop", RAW_LETTUCE, BenchReport.RAW_DRAIN);
        pair(report, ratios, "Lettuce read-ahead / Jedis read-ahead", LETTUCE_READ_AHEAD, JEDIS_READ_AHEAD);
    }

    private static void pair(BenchReport report, Map<String, Double> ratios, String name, String lettuce, String jedis) {
        report.result(lettuce).ifPresent(l -> report.result(jedis).ifPresent(j -> {
            ratios.put(name, l.median() / j.median());
            ratios.put("CPU per entry: " + name, l.cpuMicrosPerEntry() / j.cpuMicrosPerEntry());
        }));
    }
}
