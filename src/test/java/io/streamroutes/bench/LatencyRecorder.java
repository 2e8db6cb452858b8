package io.streamroutes.bench;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

/** Up to a fixed number of latency samples in nanoseconds, recorded from any thread; percentiles in milliseconds. */
final class LatencyRecorder {

    private final long[] samples;
    private final AtomicInteger count = new AtomicInteger();

    LatencyRecorder(int capacity) {
        this.samples = new long[capacity];
    }

    boolean enabled() {
        return samples.length > 0;
    }

    void record(long nanos) {
        int i = count.getAndIncrement();
        if (i < samples.length) {
            samples[i] = nanos;
        }
    }

    int size() {
        return Math.min(count.get(), samples.length);
    }

    /** Nearest-rank percentile in ms; NaN without samples. */
    double millis(double percentile) {
        int n = size();
        if (n == 0) {
            return Double.NaN;
        }
        long[] sorted = Arrays.copyOf(samples, n);
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(percentile / 100.0 * n) - 1;
        return sorted[Math.max(0, Math.min(n - 1, rank))] / 1e6;
    }
}
