package io.streamroutes.component.redisstreams.consumer.support;

import java.util.function.LongSupplier;

/**
 * When a consumer next looks at its stream's scheduled entries, and how. While the sorted set does not exist (a stream
 * that never gets scheduled entries, or all were delivered) only an {@code EXISTS} is sent, every
 * {@link #LONGEST_WAIT_MS}; while it exists the move script runs at the next entry's due time, and at least every
 * {@link #LONGEST_WAIT_MS}, since any process may add an earlier one meanwhile. So an entry reaches the stream within
 * {@link #LONGEST_WAIT_MS} of its time, or of being added when it was due already. Not thread-safe: one mover uses it.
 */
public final class ScheduledMoveTiming {

    /** The longest time between two looks: the bound on how late a due entry joins the stream. */
    public static final long LONGEST_WAIT_MS = 500;

    /** What to send next. */
    public enum Step {
        /** {@code EXISTS} on the sorted set: it was absent. */
        CHECK,
        /** The move script: the set holds entries. */
        MOVE
    }

    private final LongSupplier clock;
    private Step step = Step.MOVE;
    private long nextAtMillis;

    /** Starts with a move at once: entries scheduled while no consumer ran are moved as soon as one starts. */
    public ScheduledMoveTiming(LongSupplier clock) {
        this.clock = clock;
        this.nextAtMillis = clock.getAsLong();
    }

    public Step step() {
        return step;
    }

    /** How long until the next step (0: now). */
    public long delayMillis() {
        return Math.max(0, nextAtMillis - clock.getAsLong());
    }

    /** The set exists: move at once; else look again later. */
    public void checked(boolean exists) {
        if (exists) {
            next(Step.MOVE, 0);
        } else {
            next(Step.CHECK, LONGEST_WAIT_MS);
        }
    }

    /**
     * After a move: a full batch ({@code moved >= batch}) is followed by another at once; an emptied set by checks;
     * otherwise the next move is at the next due time ({@code untilNextDueMillis}, measured by the server), at the
     * latest after {@link #LONGEST_WAIT_MS}.
     */
    public void moved(long moved, int batch, long untilNextDueMillis) {
        if (moved >= batch) {
            next(Step.MOVE, 0);
        } else if (untilNextDueMillis < 0) {
            next(Step.CHECK, LONGEST_WAIT_MS);
        } else {
            next(Step.MOVE, Math.min(untilNextDueMillis, LONGEST_WAIT_MS));
        }
    }

    /** Redis could not be asked: try the move again later (the readers report the outage). */
    public void failed() {
        next(Step.MOVE, LONGEST_WAIT_MS);
    }

    private void next(Step nextStep, long delayMillis) {
        step = nextStep;
        nextAtMillis = clock.getAsLong() + delayMillis;
    }
}
