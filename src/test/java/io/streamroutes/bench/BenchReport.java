package io.streamroutes.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything one benchmark run found: where it ran, each contestant's result, the backlog check (null when skipped),
 * the media contestants (empty when skipped).
 */
record BenchReport(Map<String, String> environment, BenchOptions options, List<ContestantResult> results,
        BacklogCheck.Result backlog, List<MediaResult> media) {

    static final String OUR_DRAIN = "route-c1";
    static final String OUR_DRAIN_2 = "route-c2";
    static final String RAW_DRAIN = "raw-loop";
    static final String SPRING_DRAIN = "spring-container";
    static final String OUR_PRODUCER = "route-producer";
    static final String RAW_PRODUCER = "raw-xadd";
    static final String OUR_BATCH_PRODUCER = "route-producer-batch";
    static final String PIPELINED_PRODUCER = "pipelined-xadd";
    static final String OUR_MEDIA = "media-route";
    static final String IMAGEMAGICK = "media-imagemagick";
    static final String VIPS = "media-vips";

    boolean allComplete() {
        return results.stream().allMatch(ContestantResult::complete) && (backlog == null || backlog.complete())
               && media.stream().allMatch(MediaResult::complete);
    }

    java.util.Optional<ContestantResult> result(String id) {
        return results.stream().filter(r -> r.id().equals(id)).findFirst();
    }

    /** The ratios of median entries/s, in a stable order (those whose contestants ran). */
    Map<String, Double> ratios() {
        Map<String, Double> ratios = new LinkedHashMap<>();
        ratio(ratios, "our drain (c=1) / raw loop", OUR_DRAIN, RAW_DRAIN);
        ratio(ratios, "our drain (c=2) / raw loop", OUR_DRAIN_2, RAW_DRAIN);
        ratio(ratios, "our drain (c=1) / Spring container", OUR_DRAIN, SPRING_DRAIN);
        ratio(ratios, "our producer / raw sync XADD", OUR_PRODUCER, RAW_PRODUCER);
        ratio(ratios, "our batched producer / pipelined XADD", OUR_BATCH_PRODUCER, PIPELINED_PRODUCER);
        ioRatios(ratios);
        mediaRatio(ratios, "our media route / ImageMagick (images/s)", IMAGEMAGICK);
        mediaRatio(ratios, "our media route / libvips (images/s)", VIPS);
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

    private void ratio(Map<String, Double> ratios, String name, String ours, String theirs) {
        result(ours).ifPresent(o -> result(theirs).ifPresent(t -> ratios.put(name, o.median() / t.median())));
    }
}
