package io.streamroutes.component.redisstreams.consumer;

/**
 * Whether a reading loop goes on: running until stopped, draining (handing out nothing new) once Camel's shutdown
 * strategy began, and a wait between rounds that either signal cuts short.
 */
public final class ReaderRunState {

    private final Object sleeper = new Object();
    private volatile boolean running = true;
    private volatile boolean draining;

    boolean isRunning() {
        return running;
    }

    public boolean isDraining() {
        return draining;
    }

    /** Hands out nothing new from now on; the loop keeps writing outcomes until {@link #stop()}. */
    public void drain() {
        draining = true;
        wakeUp();
    }

    public void stop() {
        running = false;
        wakeUp();
    }

    /** Waits {@code ms}, or less when stopped or draining meanwhile; not at all once stopped. */
    void sleep(long ms) throws InterruptedException {
        synchronized (sleeper) {
            if (running) {
                sleeper.wait(ms);
            }
        }
    }

    private void wakeUp() {
        synchronized (sleeper) {
            sleeper.notifyAll();
        }
    }
}
