package io.streamroutes.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Side-by-side benchmark of our {@code redis-streams} route against a raw Jedis loop and Spring Data Redis'
 * listener container (consumers), and against raw and pipelined XADD (producers), on one real Redis in one run; then
 * routes/integration.yaml against a hand-written ExecutorService + HttpClient loop, both calling a provider stand-in
 * that answers in 50 ms, at several concurrencies (docs/io-benchmark.md); and
 * routes/media.yaml resizing photos against ImageMagick and libvips ({@link MediaBench}); and the notifications'
 * SMTP sender over kept-open connections against one connection per mail ({@link SmtpReuseBench}).
 * Run it with {@code ./bench/run.sh [--quick]}; see the "Performance" section of README.md.
 */
public final class Benchmark {

    static final Path OUTPUT = Path.of("target", "bench");

    private Benchmark() {
    }

    public static void main(String[] args) throws Exception {
        BenchReport report = run(BenchOptions.parse(args), System.out, OUTPUT);
        System.exit(report.allComplete() ? 0 : 1);
    }

    static BenchReport run(BenchOptions options, PrintStream out, Path outputDir) throws Exception {
        try (BenchRedis redis = BenchRedis.start(); var admin = redis.newJedis()) {
            Map<String, String> environment = environment(redis);
            environment.forEach((k, v) -> out.println(k + ": " + v));
            out.println("options: " + options);
            BenchStreams streams = new BenchStreams(admin);
            List<Supplier<Drainer>> drainers = List.of(() -> RawJedisDrainer.create(redis), () -> new SpringContainerDrainer(redis),
                    () -> new RouteDrainer(redis, 1), () -> new RouteDrainer(redis, 2), () -> RouteDrainer.batching(redis),
                    CamelFloorDrainer::new);
            drainers = ClientComparison.plusDrainers(drainers, redis); // Lettuce against Jedis: raw and read-ahead loops
            if (drainers.stream().anyMatch(drainer -> options.runs(drainer.get().id()) && drainer.get().readsStream())) {
                streams.fillSource(options.entries() * AlternatingRounds.FAST_RUN_SCALE);
            }

            List<ContestantResult> results = new ArrayList<>();
            List<Supplier<Drainer>> drainersToRun = drainers.stream().filter(d -> options.runs(d.get().id())).toList();
            RedisCpu redisCpu = new RedisCpu(admin);
            new DrainBench(redis, streams, options, redisCpu).measure(drainersToRun).forEach(r -> results.add(progress(out, r)));
            List<Supplier<StreamWriter>> writers = List.of(() -> new RawXaddWriter(redis), () -> new RouteWriter(redis, 1),
                    () -> new PipelinedXaddWriter(redis, false), () -> new PipelinedXaddWriter(redis, true),
                    () -> new RouteWriter(redis, RouteWriter.BATCH), () -> new RouteWriter(redis, RouteWriter.BATCH, false));
            List<Supplier<StreamWriter>> writersToRun = writers.stream().filter(w -> options.runs(w.get().id())).toList();
            new WriteBench(streams, options, redisCpu).measure(writersToRun).forEach(r -> results.add(progress(out, r)));
            new AnalyticsBench(redis, admin, options, redisCpu).measure().forEach(r -> results.add(progress(out, r)));
            results.addAll(ioContestants(redis, admin, options, out));
            BacklogCheck.Result backlog = options.runsBacklog()
                    ? BacklogCheck.run(redis, streams, options.backlogEntries(), options.backlogHeap()) : null;

            List<MediaResult> media = options.runsMedia() ? MediaBench.run(redis, options, outputDir, out) : List.of();
            SmtpReuseResult smtp = options.runsSmtp()
                    ? SmtpReuseBench.run(options.smtpMails(), options.repetitions(), SmtpReuseBench.CONCURRENCY, out) : null;

            BenchReport report = new BenchReport(environment, options, results, backlog, media, smtp);
            ResultsReport.print(report, out);
            ResultsReport.writeJson(report, outputDir.resolve("results.json"));
            SvgChart.write(report, outputDir.resolve("throughput.svg"));
            out.println("\nwrote " + outputDir.resolve("results.json") + " and " + outputDir.resolve("throughput.svg"));
            return report;
        }
    }

    /** The I/O-bound contestants against the stand-in provider: the stand-in alone, then route and loop per concurrency. */
    private static List<ContestantResult> ioContestants(BenchRedis redis, redis.clients.jedis.Jedis admin, BenchOptions options,
                                                        PrintStream out) throws Exception {
        List<ContestantResult> results = new ArrayList<>();
        try (SlowProvider provider = SlowProvider.start()) {
            IoBench io = new IoBench(admin, provider, options);
            if (options.runs("io-standin-c" + IoBench.STAND_IN_CONCURRENCY)) {
                results.add(progress(out, io.measureStandIn()));
            }
            for (int concurrency : options.ioConcurrencies()) {
                List<IoContestant> contestants = List.of(new IntegrationRouteContestant(redis, provider.url(), concurrency),
                        new HttpClientLoopContestant(redis, provider.url(), concurrency));
                for (IoContestant contestant : contestants) {
                    if (options.runs(contestant.id())) {
                        results.add(progress(out, io.measure(contestant)));
                    }
                }
            }
        }
        return results;
    }

    private static ContestantResult progress(PrintStream out, ContestantResult result) {
        out.printf(java.util.Locale.ROOT, "  %-42s %,10.0f %s/s%s%n", result.name(), result.median(),
                "io".equals(result.kind()) ? "tasks" : "entries", result.complete() ? "" : "  INCOMPLETE: " + result.problem());
        return result;
    }

    private static Map<String, String> environment(BenchRedis redis) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("cpu", cpuModel());
        env.put("cores", Integer.toString(Runtime.getRuntime().availableProcessors()));
        env.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        env.put("maxHeapMb", Long.toString(Runtime.getRuntime().maxMemory() / (1024 * 1024)));
        env.put("redis", redis.description());
        env.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        return env;
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return System.getProperty("os.arch");
    }
}
