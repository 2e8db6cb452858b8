package io.streamroutes.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * Runs contestants in alternating rounds (A B C, then C B A, ...) after one warm-up run each, so that a change of
 * machine load or of JIT state during the benchmark falls on all contestants alike and their ratios stay fair.
 */
final class AlternatingRounds {

    /** One run of contestant {@code index} over {@code entries} entries; what went wrong goes to {@code problems}. */
    interface Run {
        RunFigures run(int index, int entries, List<String> problems) throws Exception;
    }

    /** Per contestant, in contestant order: the measured runs (warm-ups not included) and the problems seen. */
    record Outcome(List<List<RunFigures>> runs, List<List<String>> problems) {
    }

    /**
     * How many times the run's entries a fast contestant (a drain, a pipelining producer) handles per run: a run should
     * last seconds, not the few tenths of a second 200 000 entries take it, in which a moment of the host's load moves
     * its CPU per entry by up to a half and its entries/s by a third.
     */
    static final int FAST_RUN_SCALE = 5;

    private AlternatingRounds() {
    }

    static Outcome run(int contestants, BenchOptions options, Run run) throws Exception {
        Outcome outcome = new Outcome(new ArrayList<>(), new ArrayList<>());
        for (int i = 0; i < contestants; i++) {
            outcome.runs().add(new ArrayList<>());
            outcome.problems().add(new ArrayList<>());
            run.run(i, options.warmupEntries(), outcome.problems().get(i));
        }
        for (int round = 0; round < options.repetitions(); round++) {
            for (int k = 0; k < contestants; k++) {
                int i = round % 2 == 0 ? k : contestants - 1 - k;
                outcome.runs().get(i).add(run.run(i, options.entries(), outcome.problems().get(i)));
            }
        }
        return outcome;
    }
}
