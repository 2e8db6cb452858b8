package io.streamroutes.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Peak resident set size of a live process, from Linux' {@code /proc/<pid>/status} (VmHWM). */
final class PeakRss {

    private PeakRss() {
    }

    /** MB, NaN when not on Linux or the process is gone. */
    static double ofProcess(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or the process ended
        }
        return Double.NaN;
    }
}
