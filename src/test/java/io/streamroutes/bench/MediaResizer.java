package io.streamroutes.bench;

import java.nio.file.Path;
import java.util.List;

/** One contestant of the media benchmark: resizes every photo to fit 1024 (JPEG, same quality as the others). */
interface MediaResizer extends AutoCloseable {

    String id();

    String name();

    /** Why it cannot run here (a tool not installed), or null. */
    default String unavailable() {
        return null;
    }

    /** Gets ready (e.g. starts and warms up the application); not measured. */
    void start(List<String> photoIds) throws Exception;

    /** Resizes every photo once; returns when every output is written. */
    void resizeAll(List<String> photoIds) throws Exception;

    Path output(String photoId);

    /** Peak resident memory in MB (see {@link MediaResult#peakRssMb}), NaN when unknown. */
    double peakRssMb();

    @Override
    void close();
}
