package io.streamroutes.component.redisstreams.consumer;

import java.util.function.BiConsumer;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The health of one reading thread: ready after its first successful read, with the current problem, its kind, since
 * when, and the exception behind it. A problem is logged and reported once per change of kind (one line per outage,
 * not one per retry). Written by the reading thread, read by the health check, the MBean and the dev console.
 */
public final class ReaderHealth {

    private static final Logger LOG = LoggerFactory.getLogger(ReaderHealth.class);

    private final String label;
    private final LongSupplier clock;
    private final BiConsumer<String, Exception> reporter;

    private volatile boolean ready;
    private volatile String problem;
    private volatile long problemSince;
    private volatile Exception lastError;
    private String problemKind;

    /**
     * @param label    who is reading, for log lines and reports ("Stream 'orders' consumer 'host-1'")
     * @param reporter where a new problem is reported: the consumer's ExceptionHandler
     */
    ReaderHealth(String label, LongSupplier clock, BiConsumer<String, Exception> reporter) {
        this.label = label;
        this.clock = clock;
        this.reporter = reporter;
    }

    void readSucceeded() {
        ready = true;
    }

    /** True after the first successful read, until Redis becomes unreachable or the group is missing. */
    public boolean isHealthy() {
        return ready && problem == null;
    }

    boolean hasProblem() {
        return problem != null;
    }

    public String getProblem() {
        String current = problem;
        return current != null ? current : ready ? null : "waiting for the first successful read from Redis";
    }

    /** The exception behind the current problem, or null. */
    public Exception getLastError() {
        return problem != null ? lastError : null;
    }

    long getProblemSince() {
        return problemSince;
    }

    /**
     * A failed round of the reading loop. Logged and reported only when {@code kind} differs from the current
     * problem's; returns whether it did.
     */
    boolean failed(String kind, String description, Exception e, long maxBackoffMillis) {
        boolean changed = !kind.equals(problemKind);
        if (changed) {
            if (problem == null) {
                problemSince = clock.getAsLong();
            }
            LOG.warn("{}: {}. Retrying with backoff up to {} ms.", label, description, maxBackoffMillis);
            LOG.debug("Cause", e);
            problemKind = kind;
            reporter.accept(label + ": " + description, e);
        }
        lastError = e;
        problem = description;
        return changed;
    }

    /** A round of the reading loop went through: a current problem is over. */
    void recovered() {
        if (problem != null) {
            LOG.info("{} is reading again after {} ms", label, clock.getAsLong() - problemSince);
            problem = null;
            problemKind = null;
            lastError = null;
        }
    }
}
