package io.streamroutes.bench;

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
 */
record BenchOptions(int entries, int repetitions, int warmupEntries, int latencyRate, int latencyEntries, int backlogEntries,
        String backlogHeap) {

    static BenchOptions full() {
        return new BenchOptions(200_000, 3, 50_000, 1000, 10_000, 100_000, "256m");
    }

    static BenchOptions quick() {
        return new BenchOptions(5_000, 1, 2_000, 1000, 500, 5_000, "256m");
    }

    /** {@code [--quick] [--entries N] [--repetitions N] [--latency-entries N] [--backlog N]} */
    static BenchOptions parse(String... args) {
        BenchOptions o = java.util.Arrays.asList(args).contains("--quick") ? quick() : full();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> { }
                case "--entries" -> o = new BenchOptions(intArg(args, ++i), o.repetitions, Math.min(o.warmupEntries, intArg(args, i)),
                        o.latencyRate, o.latencyEntries, o.backlogEntries, o.backlogHeap);
                case "--repetitions" -> o = new BenchOptions(o.entries, intArg(args, ++i), o.warmupEntries, o.latencyRate,
                        o.latencyEntries, o.backlogEntries, o.backlogHeap);
                case "--latency-entries" -> o = new BenchOptions(o.entries, o.repetitions, o.warmupEntries, o.latencyRate,
                        intArg(args, ++i), o.backlogEntries, o.backlogHeap);
                case "--backlog" -> o = new BenchOptions(o.entries, o.repetitions, o.warmupEntries, o.latencyRate,
                        o.latencyEntries, intArg(args, ++i), o.backlogHeap);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + "; usage: [--quick] [--entries N] [--repetitions N] [--latency-entries N] [--backlog N]");
            }
        }
        return o;
    }

    private static int intArg(String[] args, int i) {
        if (i >= args.length) {
            throw new IllegalArgumentException(args[i - 1] + " needs a number");
        }
        return Integer.parseInt(args[i]);
    }
}
