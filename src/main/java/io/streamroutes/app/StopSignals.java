package io.streamroutes.app;

import sun.misc.Signal;

/**
 * Turns SIGTERM and SIGINT (Ctrl-C) into an orderly stop: the given action makes the main thread leave its run loop,
 * Camel then stops reading, finishes in-flight exchanges and flushes acks, and the process exits 0. Without this the
 * JVM would run the shutdown hooks and still exit with 143/130, which process supervisors report as a failure.
 */
final class StopSignals {

    private StopSignals() {
    }

    static void onStop(Runnable stop) {
        for (String name : new String[] { "TERM", "INT" }) {
            try {
                Signal.handle(new Signal(name), signal -> stop.run());
            } catch (IllegalArgumentException unsupported) {
                // no such signal on this platform: the JVM's default handling applies
            }
        }
    }
}
