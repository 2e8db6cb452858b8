package io.streamroutes.media;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Scans one file. A verdict is final (clean or infected); an {@link IOException} means the scan could not be done
 * (engine unreachable, timeout) and the task is retried, never taken as clean. A permanent problem with the file
 * itself (e.g. larger than the engine accepts) is a
 * {@link io.streamroutes.component.redisstreams.RedisStreamsNonRetryableException}.
 */
public interface VirusScanner {

    /** The name written to {@code media:results} field {@code engine}. */
    String engine();

    ScanVerdict scan(Path file) throws IOException;

    /** @param threat the signature name when infected, {@code null} when clean */
    record ScanVerdict(String engine, String threat) {

        boolean infected() {
            return threat != null;
        }
    }
}
