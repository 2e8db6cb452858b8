package io.streamroutes.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything one benchmark run found: where it ran, each contestant's result, the backlog check (null when skipped),
 * the media contestants (empty when skipped), the SMTP reuse benchmark (null when skipped).
 */
record BenchReport(Map<String, String> environment, BenchOptions options, List<ContestantResult> results,
        BacklogCheck.Result backlog, List<MediaResult> media, SmtpReuseResult smtp) {

    static final String OUR_DRAIN = "route-c1";
    static final String OUR_DRAIN_2 = "route-c2";
    static final String OUR_BATCH_DRAIN = "route-batch";
    static final String RAW_DRAIN = "raw-loop";
    static final String SPRING_DRAIN = "spring-container";
    static final String OUR_PRODUCER = "route-producer";
    static final String RAW_PRODUCER = "raw-xadd";
    static final String OUR_BATCH_PRODUCER = "route-producer-batch";
    static final String OUR_PIPELINED_BATCH_PRODUCER = "route-producer-pipelined";
    static final String PIPELINED_PRODUCER = "pipelined-xadd";
    static final String MULTI_PRODUCER = "pipelined-multi-xadd";
    static final String CAMEL_FLOOR = CamelFloorDrainer.ID;
    static final String OUR_MEDIA = "media-route";
    static final String IMAGEMAGICK = "media-imagemagick";
    static final String VIPS = "media-vips";

    static final String CPU_RATIO = "CPU per entry: our drain (c=1) / raw loop";
    static final String FLOOR_GOAL_CPU_RATIO = "CPU per entry: our drain (c=1) / (raw loop + Camel floor)";
    static final String BATCH_DRAIN_RATIO = "batch drain (batching=true, 1 thread) / raw loop";
    static final String BATCH_CPU_RATIO = "CPU per entry: batch drain / raw loop";
    static final String REPLAY_RATIO = "analytics replay / raw XREAD COUNT 1000";
    static final String LIVE_ANALYTICS_RATIO = "analytics live drain (backlog) / raw XREAD COUNT 1000";
    static final String JVM_CPU_RATIO = "JVM CPU per entry (GC, JIT in it): same";
    static final String DRAIN_RATIO = "our drain (c=1) / raw loop";
    static final String PRODUCER_RATIO = "our producer / raw sync XADD";
    static final String PIPELINED_BATCH_RATIO = "our batched producer, atomicBatch=false / pipelined XADD";
    static final String BATCH_MULTI_RATIO = "our batched producer / pipelined MULTI/EXEC XADD";
    // why the goals are not met, measured in the same run; no goals of their own
    static final String FLOOR_CPU_RATIO = "CPU per entry: Camel floor / raw loop";
    static final String FLOOR_SUM_CPU_RATIO = "CPU per entry: (raw loop + Camel floor) / raw loop";
    static final String REDIS_DRAIN_RATIO = "Redis CPU per entry: our drain (c=1) / raw loop";
    static final String BATCH_RATIO = "our batched producer / pipelined XADD";
    static final String MULTI_RATIO = "pipelined MULTI/EXEC XADD / pipelined XADD";
    static final String REDIS_MULTI_RATIO = "Redis CPU per entry: MULTI/EXEC XADD / pipelined XADD";
    static final String REDIS_BATCH_RATIO = "Redis CPU per entry: our batched producer / MULTI/EXEC";
    static final String GROUP_READ_RATIO = "raw XREADGROUP + XACK / raw XREAD COUNT 1000";
    static final String REDIS_GROUP_READ_RATIO = "Redis CPU per entry: raw XREADGROUP + XACK / raw XREAD";
    static final String LIVE_GROUP_READ_RATIO = "analytics live drain (backlog) / raw XREADGROUP + XACK";

    /** A target for one ratio: at most {@code bound} (CPU), else at least {@code bound} (throughput). */
    record Goal(String ratio, boolean atMost, double bound) {
        boolean met(double value) {
            return atMost ? value <= bound : value >= bound;
        }

        String text() {
            return (atMost ? "<= " : ">= ") + bound;
        }
    }

    static final List<Goal> GOALS = List.of(new Goal(FLOOR_GOAL_CPU_RATIO, true, 1.1), new Goal(DRAIN_RATIO, false, 0.9),
            new Goal(BATCH_DRAIN_RATIO, false, 1.0), new Goal(BATCH_CPU_RATIO, true, 1.3), new Goal(REPLAY_RATIO, false, 0.2),
            new Goal(LIVE_ANALYTICS_RATIO, false, 0.2), new Goal(PRODUCER_RATIO, false, 0.9), new Goal(PIPELINED_BATCH_RATIO, false, 0.9),
            new Goal(BATCH_MULTI_RATIO, false, 0.9),
            new Goal(SmtpReuseResult.RATIO, false, SmtpReuseResult.GOAL));

    static java.util.Optional<Goal> goal(String ratio) {
        return GOALS.stream().filter(g -> g.ratio().equals(ratio)).findFirst();
    }

    boolean allComplete() {
        return results.stream().allMatch(ContestantResult::complete) && (backlog == null || backlog.complete())
               && media.stream().allMatch(MediaResult::complete) && (smtp == null || smtp.complete());
    }

    java.util.Optional<ContestantResult> result(String id) {
        return results.stream().filter(r -> r.id().equals(id)).findFirst();
    }

    /** The ratios of median entries/s (and of CPU per entry), in a stable order (those whose contestants ran). */
    Map<String, Double> ratios() {
        Map<String, Double> ratios = new LinkedHashMap<>();
        result(OUR_DRAIN).ifPresent(o -> result(RAW_DRAIN)
                .ifPresent(t -> {
                    ratios.put(CPU_RATIO, o.cpuMicrosPerEntry() / t.cpuMicrosPerEntry());
                    ratios.put(JVM_CPU_RATIO, o.jvmCpuMicrosPerEntry() / t.jvmCpuMicrosPerEntry());
                }));
        result(CAMEL_FLOOR).ifPresent(f -> result(RAW_DRAIN).ifPresent(t -> {
            ratios.put(FLOOR_CPU_RATIO, f.cpuMicrosPerEntry() / t.cpuMicrosPerEntry());
            ratios.put(FLOOR_SUM_CPU_RATIO, (t.cpuMicrosPerEntry() + f.cpuMicrosPerEntry()) / t.cpuMicrosPerEntry());
            result(OUR_DRAIN).ifPresent(o -> ratios.put(FLOOR_GOAL_CPU_RATIO,
                    o.cpuMicrosPerEntry() / (t.cpuMicrosPerEntry() + f.cpuMicrosPerEntry())));
        }));
        ratio(ratios, BATCH_DRAIN_RATIO, OUR_BATCH_DRAIN, RAW_DRAIN);
        result(OUR_BATCH_DRAIN).ifPresent(o -> result(RAW_DRAIN)
                .ifPresent(t -> ratios.put(BATCH_CPU_RATIO, o.cpuMicrosPerEntry() / t.cpuMicrosPerEntry())));
        ratio(ratios, REPLAY_RATIO, AnalyticsBench.REPLAY, AnalyticsBench.RAW_READ);
        ratio(ratios, LIVE_ANALYTICS_RATIO, AnalyticsBench.LIVE, AnalyticsBench.RAW_READ);
        ratio(ratios, GROUP_READ_RATIO, AnalyticsBench.RAW_GROUP_READ, AnalyticsBench.RAW_READ);
        redisCpuRatio(ratios, REDIS_GROUP_READ_RATIO, AnalyticsBench.RAW_GROUP_READ, AnalyticsBench.RAW_READ);
        ratio(ratios, LIVE_GROUP_READ_RATIO, AnalyticsBench.LIVE, AnalyticsBench.RAW_GROUP_READ);
        redisCpuRatio(ratios, REDIS_DRAIN_RATIO, OUR_DRAIN, RAW_DRAIN);
        ratio(ratios, DRAIN_RATIO, OUR_DRAIN, RAW_DRAIN);
        ratio(ratios, "our drain (c=2) / raw loop", OUR_DRAIN_2, RAW_DRAIN);
        ratio(ratios, "our drain (c=1) / Spring container", OUR_DRAIN, SPRING_DRAIN);
        ratio(ratios, PRODUCER_RATIO, OUR_PRODUCER, RAW_PRODUCER);
        ratio(ratios, PIPELINED_BATCH_RATIO, OUR_PIPELINED_BATCH_PRODUCER, PIPELINED_PRODUCER);
        ratio(ratios, BATCH_MULTI_RATIO, OUR_BATCH_PRODUCER, MULTI_PRODUCER);
        ratio(ratios, BATCH_RATIO, OUR_BATCH_PRODUCER, PIPELINED_PRODUCER);
        ratio(ratios, MULTI_RATIO, MULTI_PRODUCER, PIPELINED_PRODUCER);
        redisCpuRatio(ratios, REDIS_MULTI_RATIO, MULTI_PRODUCER, PIPELINED_PRODUCER);
        redisCpuRatio(ratios, REDIS_BATCH_RATIO, OUR_BATCH_PRODUCER, MULTI_PRODUCER);
        ClientComparison.addRatios(this, ratios);
        ioRatios(ratios);
        mediaRatio(ratios, "our media route / ImageMagick (images/s)", IMAGEMAGICK);
        mediaRatio(ratios, "our media route / libvips (images/s)", VIPS);
        if (smtp != null && smtp.complete()) {
            ratios.put(SmtpReuseResult.RATIO, smtp.ratio());
        }
        return ratios;
    }

    /**
     * Per concurrency N: I/O route / hand-written loop, and each of them / the ideal N / latency; the stand-in alone /
     * its ideal. The goals: route / loop and route / ideal both at least 0.8.
     */
    private void ioRatios(Map<String, Double> ratios) {
        for (ContestantResult r : results) {
            if (!"io".equals(r.kind())) {
                continue;
            }
            int c = r.details().get("concurrency").intValue();
            String ideal = " / (" + c + " / " + SlowProvider.LATENCY_MS + " ms)";
            if (r.id().startsWith("io-route-")) {
                ratio(ratios, "io route (c=" + c + ") / io loop", r.id(), "io-loop-c" + c);
                ratios.put("io route (c=" + c + ")" + ideal, r.median() / IoBench.ideal(c));
            } else if (r.id().startsWith("io-loop-")) {
                ratios.put("io loop (c=" + c + ")" + ideal, r.median() / IoBench.ideal(c));
            } else {
                ratios.put("stand-in alone (c=" + c + ")" + ideal, r.median() / IoBench.ideal(c));
            }
        }
    }

    java.util.Optional<MediaResult> mediaResult(String id) {
        return media.stream().filter(r -> r.id().equals(id)).findFirst();
    }

    private void mediaRatio(Map<String, Double> ratios, String name, String theirs) {
        mediaResult(OUR_MEDIA).filter(MediaResult::complete).ifPresent(o -> mediaResult(theirs).filter(MediaResult::complete)
                .ifPresent(t -> ratios.put(name, o.median() / t.median())));
    }

    private void redisCpuRatio(Map<String, Double> ratios, String name, String ours, String theirs) {
        result(ours).ifPresent(o -> result(theirs)
                .ifPresent(t -> ratios.put(name, o.redisCpuMicrosPerEntry() / t.redisCpuMicrosPerEntry())));
    }

    private void ratio(Map<String, Double> ratios, String name, String ours, String theirs) {
        result(ours).ifPresent(o -> result(theirs).ifPresent(t -> ratios.put(name, o.median() / t.median())));
    }
}
