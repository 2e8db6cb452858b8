package io.streamroutes.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Measures one producer contestant: a warm-up, then {@code repetitions} runs writing {@code entries} entries to a new
 * stream (entries/s until the last one is in Redis), then, for synchronous producers, the duration of single sends at
 * the fixed offered rate.
 */
final class WriteBench {

    private final BenchStreams streams;
    private final BenchOptions options;

    WriteBench(BenchStreams streams, BenchOptions options) {
        this.streams = streams;
        this.options = options;
    }

    ContestantResult measure(Supplier<StreamWriter> contestant) throws Exception {
        StreamWriter probe = contestant.get();
        ResourceMeter meter = new ResourceMeter();
        List<String> problems = new ArrayList<>();
        write(contestant.get(), options.warmupEntries(), problems);
        meter.reset();
        List<Double> rates = new ArrayList<>();
        for (int run = 0; run < options.repetitions(); run++) {
            rates.add(write(contestant.get(), options.entries(), problems));
        }
        long allocated = meter.allocatedSinceReset();
        long cpu = meter.cpuNanosSinceReset();
        long measured = (long) options.entries() * options.repetitions();
        double peak = meter.peakHeapMb();
        double live = meter.peakLiveHeapMb();
        LatencyRecorder latencies = probe.synchronous() ? sendLatency(contestant.get()) : new LatencyRecorder(0);
        return new ContestantResult(probe.id(), probe.name(), "produce", rates, latencies.millis(50), latencies.millis(99), peak, live,
                allocated < 0 ? Double.NaN : (double) allocated / measured, cpu < 0 ? Double.NaN : cpu / 1e3 / measured,
                problems.isEmpty(), String.join("; ", problems));
    }

    private double write(StreamWriter writer, int entries, List<String> problems) throws Exception {
        String key = streams.newKey(writer.id());
        try (writer) {
            writer.open(key);
            long start = System.nanoTime();
            for (int i = 0; i < entries; i++) {
                writer.send(BenchStreams.fields(i));
            }
            writer.flush();
            double rate = entries / ((System.nanoTime() - start) / 1e9);
            long length = streams.length(key);
            if (length != entries) {
                problems.add(writer.name() + ": stream has " + length + " of " + entries + " entries");
            }
            return rate;
        } finally {
            streams.delete(key);
        }
    }

    private LatencyRecorder sendLatency(StreamWriter writer) throws Exception {
        String key = streams.newKey(writer.id());
        LatencyRecorder latencies = new LatencyRecorder(options.latencyEntries());
        try (writer) {
            writer.open(key);
            Pacer.run(options.latencyRate(), options.latencyEntries(), i -> {
                long start = System.nanoTime();
                writer.send(BenchStreams.fields(i));
                latencies.record(System.nanoTime() - start);
            });
            return latencies;
        } finally {
            streams.delete(key);
        }
    }
}
