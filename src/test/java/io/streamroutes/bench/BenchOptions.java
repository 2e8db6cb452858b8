package io.streamroutes.bench;

import java.util.Arrays;
import java.util.List;

/**
 * What one benchmark run does. {@code --quick} is the CI variant: a small stream, one repetition, a short latency phase,
 * so that the benchmark keeps compiling and draining everything without costing build time.
 *
 * @param entries         entries pre-filled in the drained stream (and written by each producer run)
 * @param repetitions     measured runs per contestant; the median is reported
 * @param warmupEntries   entries of the warm-up run per contestant (not reported)
 * @param latencyRate     offered rate of the latency phase, entries per second
 * @param latencyEntries  entries sent in the latency phase per contestant
 * @param backlogEntries  backlog the child JVM drains with a small heap
 * @param backlogHeap     -Xmx of that child JVM
 * @param only            contestant ids to run (empty: all); for profiling one contestant
 * @param ioConcurrencies concurrencies of the I/O-bound contestants (io-route-cN, io-loop-cN)
 * @param ioWarmupMillis  I/O contestants: time before the first measured window
 * @param ioWindowMillis  I/O contestants: length of one measured window (one per repetition)
 * @param mediaPhotos     photos of the media benchmark (0: no media benchmark)
 * @param mediaWidth      their width
 * @param mediaHeight     their height
 * @param smtpMails       mails per variant and round of the SMTP reuse benchmark (0: none)
 */
record BenchOptions(int entries, int repetitions, int warmupEntries, int latencyRate, int latencyEntries, int backlogEntries,
        String backlogHeap, List<String> only, List<Integer> ioConcurrencies, int ioWarmupMillis, int ioWindowMillis,
        int mediaPhotos, int mediaWidth, int mediaHeight, int smtpMails) {

    static final String USAGE = "usage: ./bench/run.sh [--quick] [--entries N] [--repetitions N] [--latency-entries N] "
                                + "[--backlog N] [--io-window-ms N] [--media-photos N] [--smtp-mails N] [--only id,id...]";

    static BenchOptions full() {
        return new BenchOptions(200_000, 3, 50_000, 1000, 10_000, 100_000, "256m", List.of(), List.of(1, 10, 50), 2000, 5000,
                200, 4000, 3000, 1000);
    }

    static BenchOptions quick() {
        return new BenchOptions(5_000, 1, 2_000, 1000, 500, 5_000, "256m", List.of(), List.of(10), 200, 1000, 6, 1600, 1200, 50);
    }

    static BenchOptions parse(String... args) {
        BenchOptions defaults = Arrays.asList(args).contains("--quick") ? quick() : full();
        int entries = defaults.entries;
        int repetitions = defaults.repetitions;
        int latencyEntries = defaults.latencyEntries;
        int backlog = defaults.backlogEntries;
        int ioWindow = defaults.ioWindowMillis;
        int mediaPhotos = defaults.mediaPhotos;
        int smtpMails = defaults.smtpMails;
        List<String> only = defaults.only;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> { }
                case "--entries" -> entries = Integer.parseInt(value(args, ++i));
                case "--repetitions" -> repetitions = Integer.parseInt(value(args, ++i));
                case "--latency-entries" -> latencyEntries = Integer.parseInt(value(args, ++i));
                case "--backlog" -> backlog = Integer.parseInt(value(args, ++i));
                case "--io-window-ms" -> ioWindow = Integer.parseInt(value(args, ++i));
                case "--media-photos" -> mediaPhotos = Integer.parseInt(value(args, ++i));
                case "--smtp-mails" -> smtpMails = Integer.parseInt(value(args, ++i));
                case "--only" -> only = List.of(value(args, ++i).split(","));
                default -> throw new IllegalArgumentException("unknown argument " + args[i] + "; " + USAGE);
            }
        }
        return new BenchOptions(entries, repetitions, Math.min(defaults.warmupEntries, entries), defaults.latencyRate,
                latencyEntries, backlog, defaults.backlogHeap, only, defaults.ioConcurrencies, defaults.ioWarmupMillis, ioWindow,
                mediaPhotos, defaults.mediaWidth, defaults.mediaHeight, smtpMails);
    }

    boolean runs(String contestantId) {
        return only.isEmpty() || only.contains(contestantId);
    }

    boolean runsBacklog() {
        return runs("backlog") && backlogEntries > 0;
    }

    /** Whether any media contestant is to run. */
    boolean runsMedia() {
        return mediaPhotos > 0 && (only.isEmpty() || only.stream().anyMatch(id -> id.startsWith("media-")));
    }

    /** Whether the SMTP reuse benchmark is to run. */
    boolean runsSmtp() {
        return smtpMails > 0 && runs(SmtpReuseBench.ID);
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) {
            throw new IllegalArgumentException(args[i - 1] + " needs a value; " + USAGE);
        }
        return args[i];
    }
}
