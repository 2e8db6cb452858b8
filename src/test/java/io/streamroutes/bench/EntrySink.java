package io.streamroutes.bench;

import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The "trivial processing" every consumer contestant does per entry: read the fields, count the entry, and in the
 * latency phase record the time since the entry's XADD (its {@link BenchStreams#SENT_AT} field). Thread-safe. The
 * harness waits for the expected count on a latch, so it uses no CPU while a contestant drains.
 */
final class EntrySink {

    private final AtomicLong processed = new AtomicLong();
    private final long expected;
    private final CountDownLatch all = new CountDownLatch(1);
    private final LatencyRecorder latencies;

    private EntrySink(long expected, int latencySamples) {
        this.expected = expected;
        this.latencies = new LatencyRecorder(latencySamples);
    }

    static EntrySink counting(long expected) {
        return new EntrySink(expected, 0);
    }

    static EntrySink measuringLatency(int samples) {
        return new EntrySink(samples, samples);
    }

    void accept(Map<String, String> fields) {
        if (fields == null || fields.size() < 3) {
            throw new IllegalStateException("entry without its fields: " + fields);
        }
        if (latencies.enabled()) {
            latencies.record(System.nanoTime() - Long.parseLong(fields.get(BenchStreams.SENT_AT)));
        }
        if (processed.incrementAndGet() == expected) {
            all.countDown();
        }
    }

    /** Blocks until the expected number of entries was processed or the deadline ({@link System#nanoTime()}) passed. */
    boolean awaitAll(long deadlineNanos) throws InterruptedException {
        return all.await(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
    }

    /** How many entries the run hands to this sink. */
    long expected() {
        return expected;
    }

    long processed() {
        return processed.get();
    }

    LatencyRecorder latencies() {
        return latencies;
    }
}
