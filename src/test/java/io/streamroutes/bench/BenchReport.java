package io.streamroutes.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Everything one benchmark run found: where it ran, each contestant's result, the backlog check. */
record BenchReport(Map<String, String> environment, BenchOptions options, List<ContestantResult> results,
        BacklogCheck.Result backlog) {

    static final String OUR_DRAIN = "route-c1";
    static final String OUR_DRAIN_2 = "route-c2";
    static final String RAW_DRAIN = "raw-loop";
    static final String SPRING_DRAIN = "spring-container";
    static final String OUR_PRODUCER = "route-producer";
    static final String RAW_PRODUCER = "raw-xadd";

    boolean allComplete() {
        return results.stream().allMatch(ContestantResult::complete) && backlog.complete();
    }

    ContestantResult result(String id) {
        return results.stream().filter(r -> r.id().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no result " + id));
    }

    /** The ratios of median entries/s, in a stable order. */
    Map<String, Double> ratios() {
        Map<String, Double> ratios = new LinkedHashMap<>();
        ratios.put("our drain (c=1) / raw loop", ratio(OUR_DRAIN, RAW_DRAIN));
        ratios.put("our drain (c=2) / raw loop", ratio(OUR_DRAIN_2, RAW_DRAIN));
        ratios.put("our drain (c=1) / Spring container", ratio(OUR_DRAIN, SPRING_DRAIN));
        ratios.put("our producer / raw sync XADD", ratio(OUR_PRODUCER, RAW_PRODUCER));
        return ratios;
    }

    private double ratio(String ours, String theirs) {
        return result(ours).median() / result(theirs).median();
    }
}
