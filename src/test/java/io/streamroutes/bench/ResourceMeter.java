package io.streamroutes.bench;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

import com.sun.management.GarbageCollectionNotificationInfo;

/**
 * Memory cost of a contestant, measured the same way for all inside one JVM: peak heap used (sum of the heap pools'
 * peaks: mostly how far the young generation filled before a collection), peak live heap (heap used right after a
 * collection: what the contestant really holds), bytes allocated by all threads, and CPU time of the whole JVM (which,
 * unlike wall time, hardly depends on what else runs on the machine).
 */
final class ResourceMeter {

    private static final AtomicLong PEAK_LIVE = new AtomicLong();

    static {
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc instanceof NotificationEmitter emitter) {
                emitter.addNotificationListener((notification, handback) -> {
                    if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
                        GarbageCollectionNotificationInfo info =
                                GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
                        long live = heapUsed(info.getGcInfo().getMemoryUsageAfterGc());
                        PEAK_LIVE.accumulateAndGet(live, Math::max);
                    }
                }, null, null);
            }
        }
    }

    private long allocatedAtReset;
    private long cpuAtReset;

    void reset() {
        System.gc();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                pool.resetPeakUsage();
            }
        }
        PEAK_LIVE.set(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        allocatedAtReset = allocatedBytes();
        cpuAtReset = cpuNanos();
    }

    /** CPU time used by this JVM (all threads, GC included) since {@link #reset}, -1 when unknown. */
    long cpuNanosSinceReset() {
        long now = cpuNanos();
        return now < 0 ? -1 : now - cpuAtReset;
    }

    private static long cpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : -1;
    }

    double peakHeapMb() {
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        return mb(peak);
    }

    /** Highest heap use right after a collection since {@link #reset} (GC notifications are delivered asynchronously). */
    double peakLiveHeapMb() {
        return mb(PEAK_LIVE.get());
    }

    long allocatedSinceReset() {
        return allocatedBytes() - allocatedAtReset;
    }

    private static long heapUsed(Map<String, MemoryUsage> pools) {
        long used = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            MemoryUsage usage = pools.get(pool.getName());
            if (pool.getType() == MemoryType.HEAP && usage != null) {
                used += usage.getUsed();
            }
        }
        return used;
    }

    private static double mb(long bytes) {
        return bytes / (1024.0 * 1024.0);
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
