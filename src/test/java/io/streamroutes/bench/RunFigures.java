package io.streamroutes.bench;

import java.util.List;

/**
 * What one measured run of one contestant cost: entries/s over the run, and the benchmark JVM's process CPU and
 * allocation per entry from the contestant's start until its last entry was written (producers) or acknowledged
 * (consumers; the harness waits on a latch meanwhile, so its own work is not in the figure), GC and JIT included.
 */
record RunFigures(double entriesPerSecond, double cpuMicrosPerEntry, double allocatedPerEntry, double peakHeapMb,
        double peakLiveHeapMb) {

    /** Reads {@code meter}, reset just before the contestant started, at the end of a run of {@code entries}. */
    static RunFigures of(int entries, long elapsedNanos, ResourceMeter meter) {
        long cpu = meter.cpuNanosSinceReset();
        long allocated = meter.allocatedSinceReset();
        return new RunFigures(entries / (elapsedNanos / 1e9), cpu < 0 ? Double.NaN : cpu / 1e3 / entries,
                allocated < 0 ? Double.NaN : (double) allocated / entries, meter.peakHeapMb(), meter.peakLiveHeapMb());
    }

    static List<Double> rates(List<RunFigures> runs) {
        return runs.stream().map(RunFigures::entriesPerSecond).toList();
    }

    static double medianCpu(List<RunFigures> runs) {
        return ContestantResult.median(runs.stream().map(RunFigures::cpuMicrosPerEntry).toList());
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
