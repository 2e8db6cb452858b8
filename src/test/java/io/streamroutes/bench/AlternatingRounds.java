package io.streamroutes.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * Runs contestants in alternating rounds (A B C, then C B A, ...) after one warm-up run each, so that a change of
 * machine load or of JIT state during the benchmark falls on all contestants alike and their ratios stay fair.
 */
final class AlternatingRounds {

    /** One run of contestant {@code index} over {@code entries} entries. */
    interface Run {
        RunFigures run(int index, int entries) throws Exception;
    }

    private AlternatingRounds() {
    }

    /** The measured runs of each contestant, in contestant order (warm-ups not included). */
    static List<List<RunFigures>> run(int contestants, int warmupEntries, int entries, int rounds, Run run) throws Exception {
        List<List<RunFigures>> figures = new ArrayList<>();
        for (int i = 0; i < contestants; i++) {
            run.run(i, warmupEntries);
            figures.add(new ArrayList<>());
        }
        for (int round = 0; round < rounds; round++) {
            for (int k = 0; k < contestants; k++) {
                int i = round % 2 == 0 ? k : contestants - 1 - k;
                figures.get(i).add(run.run(i, entries));
            }
        }
        return figures;
    }
}
