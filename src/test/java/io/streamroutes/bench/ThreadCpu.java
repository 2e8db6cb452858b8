package io.streamroutes.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.Map;

/**
 * CPU time of a contestant's own threads, with nanosecond resolution: the JVM's Java threads other than the harness'
 * (the calling thread), plus the harness thread's CPU only between {@link #beginCaller()} and {@link #endCaller()}
 * (Camel starts a route on the calling thread; a producer runs on it). JIT compiler and GC threads are not in it:
 * in a short run on a shared machine they add more noise than signal (allocation is reported on its own). Threads
 * that end before {@link #nanos()} are not counted; the contestants' threads live until they are closed.
 */
final class ThreadCpu {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final long caller = Thread.currentThread().getId();
    private final Map<Long, Long> atStart = new HashMap<>();
    private long callerNanos;
    private long callerSince = -1;

    /** Takes the threads' CPU times now; what they use from here on is counted. */
    static ThreadCpu start() {
        ThreadCpu cpu = new ThreadCpu();
        for (long id : THREADS.getAllThreadIds()) {
            if (id != cpu.caller) {
                cpu.atStart.put(id, Math.max(0, THREADS.getThreadCpuTime(id)));
            }
        }
        return cpu;
    }

    static boolean supported() {
        return THREADS.isThreadCpuTimeSupported() && THREADS.isThreadCpuTimeEnabled();
    }

    void beginCaller() {
        callerSince = THREADS.getCurrentThreadCpuTime();
    }

    void endCaller() {
        callerNanos += THREADS.getCurrentThreadCpuTime() - callerSince;
        callerSince = -1;
    }

    /** CPU used since {@link #start()} by the threads counted, -1 when the JVM cannot tell. */
    long nanos() {
        if (!supported()) {
            return -1;
        }
        long total = callerNanos + (callerSince >= 0 ? THREADS.getCurrentThreadCpuTime() - callerSince : 0);
        for (long id : THREADS.getAllThreadIds()) {
            long now = THREADS.getThreadCpuTime(id);
            if (id != caller && now > 0) {
                total += now - atStart.getOrDefault(id, 0L);
            }
        }
        return total;
    }
}
