package io.streamroutes.bench;

import java.util.List;

/**
 * What one media contestant achieved on the same photos.
 *
 * @param imagesPerSecond every measured run (photos / time until the last output was written)
 * @param peakRssMb       peak resident memory: of the route's JVM (VmHWM), or of the largest tool process times the
 *                        number of processes run at once (the tools run one process per photo)
 * @param meanOutputBytes mean size of the outputs of the last run
 * @param outputSize      width x height of the outputs (all must match)
 * @param complete        every run produced every output, of the expected size
 */
record MediaResult(String id, String name, int parallelism, List<Double> imagesPerSecond, double peakRssMb, double meanOutputBytes,
        String outputSize, boolean complete, String problem) {

    double median() {
        return ContestantResult.median(imagesPerSecond);
    }
}
