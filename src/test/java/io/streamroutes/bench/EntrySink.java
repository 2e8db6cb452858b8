package io.streamroutes.bench;

import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * The "trivial processing" every consumer contestant does per entry: read the fields, count the entry, and in the
 * latency phase record the time since the entry's XADD (its {@link BenchStreams#SENT_AT} field). Thread-safe.
 */
final class EntrySink {

    private final LongAdder processed = new LongAdder();
    private final LatencyRecorder latencies;

    private EntrySink(int latencySamples) {
        this.latencies = new LatencyRecorder(latencySamples);
    }

    static EntrySink counting() {
        return new EntrySink(0);
    }

    static EntrySink measuringLatency(int samples) {
        return new EntrySink(samples);
    }

    void accept(Map<String, String> fields) {
        if (fields == null || fields.size() < 3) {
            throw new IllegalStateException("entry without its fields: " + fields);
        }
        if (latencies.enabled()) {
            latencies.record(System.nanoTime() - Long.parseLong(fields.get(BenchStreams.SENT_AT)));
        }
        processed.increment();
    }

    long processed() {
        return processed.sum();
    }

    LatencyRecorder latencies() {
        return latencies;
    }
}
