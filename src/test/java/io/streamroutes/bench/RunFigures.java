package io.streamroutes.bench;

import java.util.List;

/**
 * What one measured run of one contestant cost: entries/s over the run, the CPU of the contestant's threads
 * ({@link ThreadCpu}) and the JVM's allocation per entry, from the contestant's start until its last entry was written
 * (producers) or acknowledged (consumers; the harness waits on a latch meanwhile); also the whole JVM's process CPU
 * over the same span, GC and JIT included; and the Redis server's CPU per entry over the same span ({@link RedisCpu}).
 */
record RunFigures(double entriesPerSecond, double cpuMicrosPerEntry, double jvmCpuMicrosPerEntry, double allocatedPerEntry,
        double peakHeapMb, double peakLiveHeapMb, double redisCpuMicrosPerEntry) {

    /**
     * Reads {@code cpu}, {@code meter} and {@code redisCpu}, all started just before the contestant ({@code redisMicrosAtStart}:
     * {@link RedisCpu#micros()} then), at the end of a run of {@code entries}.
     */
    static RunFigures of(int entries, long elapsedNanos, ThreadCpu threadCpu, ResourceMeter meter, RedisCpu redisCpu,
                         long redisMicrosAtStart) {
        double redis = redisCpu.microsPerEntrySince(redisMicrosAtStart, entries);
        long cpu = threadCpu.nanos();
        long jvmCpu = meter.cpuNanosSinceReset();
        long allocated = meter.allocatedSinceReset();
        return new RunFigures(entries / (elapsedNanos / 1e9), cpu < 0 ? Double.NaN : cpu / 1e3 / entries,
                jvmCpu < 0 ? Double.NaN : jvmCpu / 1e3 / entries,
                allocated < 0 ? Double.NaN : (double) allocated / entries, meter.peakHeapMb(), meter.peakLiveHeapMb(), redis);
    }

    static List<Double> rates(List<RunFigures> runs) {
        return runs.stream().map(RunFigures::entriesPerSecond).toList();
    }

    static double medianCpu(List<RunFigures> runs) {
        return ContestantResult.median(runs.stream().map(RunFigures::cpuMicrosPerEntry).toList());
    }

    /** The whole JVM's process CPU (GC and JIT included; 10 ms resolution on Linux), median per entry. */
    static double medianJvmCpu(List<RunFigures> runs) {
        return ContestantResult.median(runs.stream().map(RunFigures::jvmCpuMicrosPerEntry).toList());
    }

    /** The Redis server's CPU per entry ({@link RedisCpu}), median. */
    static double medianRedisCpu(List<RunFigures> runs) {
        return ContestantResult.median(runs.stream().map(RunFigures::redisCpuMicrosPerEntry).toList());
    }

    static double medianAllocated(List<RunFigures> runs) {
        return ContestantResult.median(runs.stream().map(RunFigures::allocatedPerEntry).toList());
    }

    static double peakHeap(List<RunFigures> runs) {
        return runs.stream().mapToDouble(RunFigures::peakHeapMb).max().orElse(Double.NaN);
    }

    static double peakLiveHeap(List<RunFigures> runs) {
        return runs.stream().mapToDouble(RunFigures::peakLiveHeapMb).max().orElse(Double.NaN);
    }
}
