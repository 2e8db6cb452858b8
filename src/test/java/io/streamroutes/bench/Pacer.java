package io.streamroutes.bench;

import java.util.concurrent.locks.LockSupport;

/** Calls an action at a fixed rate on the calling thread, on a fixed schedule (a late call does not shift the rest). */
final class Pacer {

    interface Action {
        void run(int i) throws Exception;
    }

    private Pacer() {
    }

    static void run(int perSecond, int count, Action action) throws Exception {
        long period = 1_000_000_000L / perSecond;
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            long wait = start + i * period - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            action.run(i);
        }
    }
}
