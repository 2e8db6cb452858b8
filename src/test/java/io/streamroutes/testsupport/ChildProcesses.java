package io.streamroutes.testsupport;

import java.util.concurrent.TimeUnit;

/** Stopping a server or application a test started. */
public final class ChildProcesses {

    private ChildProcesses() {
    }

    /** SIGTERM, then SIGKILL if it has not exited after {@code graceSeconds}; returns once it is gone (or 10 s later). */
    public static void stop(Process process, long graceSeconds) {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(graceSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
