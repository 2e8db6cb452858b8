package io.streamroutes.bench;

import java.util.List;

/**
 * What one measured run of one contestant cost: entries/s over the run, the CPU of the contestant's threads
 * ({@link ThreadCpu}) and the JVM's allocation per entry, from the contestant's start until its last entry was written
 * (producers) or acknowledged (consumers; the harness waits on a latch meanwhile); also the whole JVM's process CPU
 * over the same span, GC and JIT included.
 */
record RunFigures(double entriesPerSecond, double cpuMicrosPerEntry, double jvmCpuMicrosPerEntry, double allocatedPerEntry,
        double peakHeapMb, double peakLiveHeapMb) {

    /** Reads {@code cpu} and {@code meter}, both started just before the contestant, at the end of a run of {@code entries}. */
    static RunFigures of(int entries, long elapsedNanos, ThreadCpu threadCpu, ResourceMeter meter) {
        long cpu = threadCpu.nanos();
        long jvmCpu = meter.cpuNanosSinceReset();
        long allocated = meter.allocatedSinceReset();
        return new RunFigures(entries / (elapsedNanos / 1e9), cpu < 0 ? Double.NaN : cpu / 1e3 / entries,
                jvmCpu < 0 ? Double.NaN : jvmCpu / 1e3 / entries,
                allocated < 0 ? Double.NaN : (double) allocated / entries, meter.peakHeapMb(), meter.peakLiveHeapMb());
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
