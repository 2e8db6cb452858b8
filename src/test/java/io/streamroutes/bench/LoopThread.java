package io.streamroutes.bench;

import java.util.function.BooleanSupplier;

/** A contestant's own loop on a thread of its own: runs until {@link #stop stopped}, keeps what it threw. */
final class LoopThread {

    interface Loop {
        /** @param running false once the contestant is being closed */
        void run(BooleanSupplier running) throws Exception;
    }

    private final Thread thread;
    private volatile boolean running = true;
    private volatile Exception failure;

    LoopThread(String name, Loop loop) {
        thread = new Thread(() -> {
            try {
                loop.run(() -> running);
            } catch (Exception e) {
                failure = e;
            }
        }, name);
    }

    void start() {
        thread.start();
    }

    /** Asks the loop to end, waits for it up to 5 s, throws what it threw. */
    void stop() throws Exception {
        running = false;
        thread.join(5000);
        if (failure != null) {
            throw failure;
        }
    }
}
