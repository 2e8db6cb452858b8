package io.streamroutes.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import redis.clients.jedis.params.XAddParams;

/**
 * Measures one consumer contestant: a warm-up drain, then {@code repetitions} drains of a fresh copy of the source
 * stream (entries/s = entries / time from start until every entry is processed and nothing is pending), then the
 * latency phase at a fixed offered rate on an empty stream.
 */
final class DrainBench {

    private final BenchRedis redis;
    private final BenchStreams streams;
    private final BenchOptions options;

    DrainBench(BenchRedis redis, BenchStreams streams, BenchOptions options) {
        this.redis = redis;
        this.streams = streams;
        this.options = options;
    }

    ContestantResult measure(Supplier<Drainer> contestant) throws Exception {
        Drainer probe = contestant.get();
        ResourceMeter meter = new ResourceMeter();
        List<String> problems = new ArrayList<>();
        drain(contestant.get(), options.warmupEntries(), problems);
        meter.reset();
        List<Double> rates = new ArrayList<>();
        for (int run = 0; run < options.repetitions(); run++) {
            rates.add(drain(contestant.get(), options.entries(), problems));
        }
        long allocated = meter.allocatedSinceReset();
        long cpu = meter.cpuNanosSinceReset();
        long measured = (long) options.entries() * options.repetitions();
        double peak = meter.peakHeapMb();
        double live = meter.peakLiveHeapMb();
        LatencyRecorder latencies = latency(contestant.get(), problems);
        return new ContestantResult(probe.id(), probe.name(), "drain", rates, latencies.millis(50), latencies.millis(99), peak, live,
                allocated < 0 ? Double.NaN : (double) allocated / measured, cpu < 0 ? Double.NaN : cpu / 1e3 / measured,
                problems.isEmpty(), String.join("; ", problems));
    }

    /** One drain of a fresh copy; returns entries/s. */
    private double drain(Drainer drainer, int entries, List<String> problems) throws Exception {
        String key = streams.freshCopy(drainer.id(), entries);
        EntrySink sink = EntrySink.counting();
        try (drainer) {
            drainer.prepare(key, sink);
            long start = System.nanoTime();
            drainer.start();
            awaitDrained(drainer, key, sink, entries, problems);
            return entries / ((System.nanoTime() - start) / 1e9);
        } finally {
            streams.delete(key);
        }
    }

    private LatencyRecorder latency(Drainer drainer, List<String> problems) throws Exception {
        String key = streams.emptyWithGroup(drainer.id());
        int count = options.latencyEntries();
        EntrySink sink = EntrySink.measuringLatency(count);
        try (drainer; var producer = redis.newJedis()) {
            drainer.prepare(key, sink);
            drainer.start();
            Thread.sleep(300); // let the consumer reach its blocking read
            Pacer.run(options.latencyRate(), count, i -> {
                var fields = BenchStreams.fields(i);
                fields.put(BenchStreams.SENT_AT, Long.toString(System.nanoTime()));
                producer.xadd(key, XAddParams.xAddParams(), fields);
            });
            awaitDrained(drainer, key, sink, count, problems);
            return sink.latencies();
        } finally {
            streams.delete(key);
        }
    }

    /** Waits until the sink saw every entry and the group has nothing pending, or records why not. */
    private void awaitDrained(Drainer drainer, String key, EntrySink sink, int entries, List<String> problems)
            throws InterruptedException {
        long deadline = System.nanoTime() + (30_000L + entries) * 1_000_000L; // generous: 1 ms per entry on top
        while (sink.processed() < entries && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        long pending = -1;
        while (System.nanoTime() < deadline && (pending = streams.pending(key)) > 0) {
            Thread.sleep(1);
        }
        if (sink.processed() < entries || pending != 0) {
            problems.add(drainer.name() + ": processed " + sink.processed() + " of " + entries + ", pending " + pending);
        }
    }
}
