package io.streamroutes.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one contestant achieved.
 *
 * @param kind             {@code drain} or {@code produce}
 * @param entriesPerSecond every measured run
 * @param p50Millis        drain: XADD → processed; produce: duration of one send; NaN when not measured
 * @param peakHeapMb       peak heap used (pool peaks; mostly young-generation sizing)
 * @param peakLiveHeapMb   peak heap used right after a collection
 * @param allocatedPerEntry bytes allocated by the whole JVM per entry, median of the measured runs (approximate)
 * @param cpuMicrosPerEntry CPU of the contestant's threads per entry from its start until its last entry was written or
 *                          acknowledged, median of the measured runs ({@link ThreadCpu}; Redis' own CPU not included;
 *                          I/O contestants: the whole JVM's)
 * @param complete         every run drained (or wrote) every entry, with nothing left pending
 * @param details          figures only some kinds have (I/O: concurrency, the stand-in's peak calls in flight, its calls;
 *                          drain and produce: {@link #JVM_CPU}, the whole JVM's CPU per entry in µs, and {@link #REDIS_CPU},
 *                          the Redis server's CPU per entry in µs, both medians of the measured runs)
 */
record ContestantResult(String id, String name, String kind, List<Double> entriesPerSecond, double p50Millis, double p99Millis,
        double peakHeapMb, double peakLiveHeapMb, double allocatedPerEntry, double cpuMicrosPerEntry, boolean complete, String problem, Map<String, Number> details) {

    ContestantResult(String id, String name, String kind, List<Double> entriesPerSecond, double p50Millis, double p99Millis,
            double peakHeapMb, double peakLiveHeapMb, double allocatedPerEntry, double cpuMicrosPerEntry, boolean complete,
            String problem) {
        this(id, name, kind, entriesPerSecond, p50Millis, p99Millis, peakHeapMb, peakLiveHeapMb, allocatedPerEntry,
                cpuMicrosPerEntry, complete, problem, Map.of());
    }

    static final String JVM_CPU = "jvmCpuMicrosPerEntry";
    static final String REDIS_CPU = "redisCpuMicrosPerEntry";

    /** A drain or produce result from its measured runs. */
    static ContestantResult of(String id, String name, String kind, List<RunFigures> runs, LatencyRecorder latencies,
                               List<String> problems) {
        return new ContestantResult(id, name, kind, RunFigures.rates(runs), latencies.millis(50), latencies.millis(99),
                RunFigures.peakHeap(runs), RunFigures.peakLiveHeap(runs), RunFigures.medianAllocated(runs), RunFigures.medianCpu(runs),
                problems.isEmpty(), String.join("; ", problems),
                cpuDetails(runs));
    }

    private static Map<String, Number> cpuDetails(List<RunFigures> runs) {
        Map<String, Number> details = new LinkedHashMap<>(); // in this order in results.json
        details.put(JVM_CPU, RunFigures.medianJvmCpu(runs));
        details.put(REDIS_CPU, RunFigures.medianRedisCpu(runs));
        return details;
    }

    /** The Redis server's CPU per entry over the measured span, NaN when not measured (I/O contestants). */
    double redisCpuMicrosPerEntry() {
        Number value = details.get(REDIS_CPU);
        return value == null ? Double.NaN : value.doubleValue();
    }

    double jvmCpuMicrosPerEntry() {
        Number value = details.get(JVM_CPU);
        return value == null ? cpuMicrosPerEntry : value.doubleValue();
    }

    double median() {
        return median(entriesPerSecond);
    }

    static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        if (sorted.isEmpty()) {
            return 0;
        }
        int mid = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(mid) : (sorted.get(mid - 1) + sorted.get(mid)) / 2;
    }
}
