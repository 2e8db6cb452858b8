package io.streamroutes.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

import redis.clients.jedis.params.XAddParams;

/**
 * Measures the consumer contestants in {@link AlternatingRounds}: each run drains a fresh copy of the source stream,
 * {@link Drainer#runScale} times the run's entries (entries/s = entries / time from start until every entry is
 * processed and nothing is pending; CPU and allocation per entry over the same span, see {@link RunFigures}); then each
 * contestant's latency phase at a fixed offered rate on an empty stream. A contestant that reads no stream
 * ({@link CamelFloorDrainer}) runs in the same rounds, without a stream, an XPENDING check or a latency phase.
 */
final class DrainBench {

    /** Between two XPENDING checks once every entry was processed: the last ack is one round trip away. */
    private static final long PENDING_POLL_NANOS = 50_000;
    /** The kind of a contestant that reads no stream ({@link Drainer#readsStream()}): a reference, not a drain. */
    static final String FLOOR = "floor";

    private final BenchRedis redis;
    private final BenchStreams streams;
    private final BenchOptions options;
    private final RedisCpu redisCpu;

    DrainBench(BenchRedis redis, BenchStreams streams, BenchOptions options, RedisCpu redisCpu) {
        this.redis = redis;
        this.streams = streams;
        this.options = options;
        this.redisCpu = redisCpu;
    }

    List<ContestantResult> measure(List<Supplier<Drainer>> contestants) throws Exception {
        AlternatingRounds.Outcome outcome = AlternatingRounds.run(contestants.size(), options,
                (i, entries, problems) -> drain(contestants.get(i).get(), entries, problems));
        List<ContestantResult> results = new ArrayList<>();
        for (int i = 0; i < contestants.size(); i++) {
            Drainer probe = contestants.get(i).get();
            LatencyRecorder latencies = probe.readsStream() ? latency(contestants.get(i).get(), outcome.problems().get(i))
                    : new LatencyRecorder(0);
            results.add(ContestantResult.of(probe.id(), probe.name(), probe.readsStream() ? "drain" : FLOOR, outcome.runs().get(i),
                    latencies, outcome.problems().get(i)));
        }
        return results;
    }

    /** One drain of a fresh copy. */
    private RunFigures drain(Drainer drainer, int runEntries, List<String> problems) throws Exception {
        int entries = runEntries * drainer.runScale();
        String key = drainer.readsStream() ? streams.freshCopy(drainer.id(), entries) : streams.newKey(drainer.id());
        EntrySink sink = EntrySink.counting(entries);
        ResourceMeter meter = new ResourceMeter();
        try (drainer) {
            drainer.prepare(key, sink);
            meter.reset();
            long redisAtStart = redisCpu.micros();
            ThreadCpu cpu = ThreadCpu.start();
            long start = System.nanoTime();
            cpu.beginCaller(); // Camel starts the route on this thread
            drainer.start();
            cpu.endCaller();
            awaitDrained(drainer, key, sink, entries, problems);
            return RunFigures.of(entries, System.nanoTime() - start, cpu, meter, redisCpu, redisAtStart);
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

    /**
     * Waits (on the sink's latch, using no CPU) until the sink saw every entry, then until the group has nothing
     * pending, or records why not.
     */
    private void awaitDrained(Drainer drainer, String key, EntrySink sink, int entries, List<String> problems)
            throws InterruptedException {
        long deadline = System.nanoTime() + (30_000L + entries) * 1_000_000L; // generous: 1 ms per entry on top
        sink.awaitAll(deadline);
        long pending = drainer.readsStream() ? -1 : 0;
        while (drainer.readsStream() && System.nanoTime() < deadline && (pending = streams.pending(key)) > 0) {
            LockSupport.parkNanos(PENDING_POLL_NANOS);
        }
        if (sink.processed() < entries || pending != 0) {
            problems.add(drainer.name() + ": processed " + sink.processed() + " of " + entries + ", pending " + pending);
        }
    }
}
