package io.streamroutes.bench;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Keeps the per-key benchmark from rotting: runs it in quick mode (a backlog of 30, nine users with 2 each) and checks
 * that both runs finished every task and that the limit held (one task of a user at a time with it). No timing is
 * asserted: the figures come from the full run ({@code ./bench/run-per-key.sh}).
 */
class PerKeyConcurrencyBenchQuickTest {

    @Test
    void bothRunsFinishEveryTaskAndTheLimitHolds() throws Exception {
        List<PerKeyConcurrencyBench.Run> runs = PerKeyConcurrencyBench.run(true, System.out);
        assertEquals(2, runs.size());
        for (PerKeyConcurrencyBench.Run run : runs) {
            assertTrue(run.complete(), run.label() + ": " + run.calls() + " calls");
        }
        assertEquals(1, runs.get(1).mostAtOnceOfOneUser(), "with maxConcurrencyPerKey=1");
        assertTrue(runs.get(0).mostAtOnceOfOneUser() > 1, "without a limit the backlog user runs several at once");
    }
}
