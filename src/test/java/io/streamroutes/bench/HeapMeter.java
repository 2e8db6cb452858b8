package io.streamroutes.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;

/**
 * Peak heap used (sum of the heap pools' peaks since {@link #reset}) and bytes allocated by all threads, so every
 * contestant's memory cost is measured the same way inside one JVM.
 */
final class HeapMeter {

    private long allocatedAtReset;

    void reset() {
        System.gc();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                pool.resetPeakUsage();
            }
        }
        allocatedAtReset = allocatedBytes();
    }

    double peakHeapMb() {
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        return peak / (1024.0 * 1024.0);
    }

    long allocatedSinceReset() {
        return allocatedBytes() - allocatedAtReset;
    }

    /** All threads since JVM start, terminated ones included (-1 when the JVM cannot tell). */
    private static long allocatedBytes() {
        if (ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean threads
            && threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled()) {
            return threads.getTotalThreadAllocatedBytes();
        }
        return -1;
    }
}
