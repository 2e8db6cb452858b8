package io.streamroutes.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Measures the producer contestants in {@link AlternatingRounds}: each run writes {@code entries} entries (pipelining
 * producers {@link AlternatingRounds#FAST_RUN_SCALE} times as many) to a new stream (entries/s until the last one is in
 * Redis; CPU and allocation per entry over the same span); then, for synchronous producers, the duration of single
 * sends at the fixed offered rate.
 */
final class WriteBench {

    private final BenchStreams streams;
    private final BenchOptions options;
    private final RedisCpu redisCpu;

    WriteBench(BenchStreams streams, BenchOptions options, RedisCpu redisCpu) {
        this.streams = streams;
        this.options = options;
        this.redisCpu = redisCpu;
    }

    List<ContestantResult> measure(List<Supplier<StreamWriter>> contestants) throws Exception {
        AlternatingRounds.Outcome outcome = AlternatingRounds.run(contestants.size(), options,
                (i, entries, problems) -> write(contestants.get(i).get(), entries, problems));
        List<ContestantResult> results = new ArrayList<>();
        for (int i = 0; i < contestants.size(); i++) {
            StreamWriter probe = contestants.get(i).get();
            LatencyRecorder latencies = probe.synchronous() ? sendLatency(contestants.get(i).get()) : new LatencyRecorder(0);
            results.add(ContestantResult.of(probe.id(), probe.name(), "produce", outcome.runs().get(i), latencies, outcome.problems().get(i)));
        }
        return results;
    }

    private RunFigures write(StreamWriter writer, int runEntries, List<String> problems) throws Exception {
        int entries = writer.synchronous() ? runEntries : runEntries * AlternatingRounds.FAST_RUN_SCALE;
        String key = streams.newKey(writer.id());
        ResourceMeter meter = new ResourceMeter();
        try (writer) {
            writer.open(key);
            meter.reset();
            long redisAtStart = redisCpu.micros();
            ThreadCpu cpu = ThreadCpu.start();
            cpu.beginCaller(); // the producers send from this thread
            long start = System.nanoTime();
            for (int i = 0; i < entries; i++) {
                writer.send(BenchStreams.fields(i));
            }
            writer.flush();
            RunFigures figures = RunFigures.of(entries, System.nanoTime() - start, cpu, meter, redisCpu, redisAtStart);
            long length = streams.length(key);
            if (length != entries) {
                problems.add(writer.name() + ": stream has " + length + " of " + entries + " entries");
            }
            return figures;
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
