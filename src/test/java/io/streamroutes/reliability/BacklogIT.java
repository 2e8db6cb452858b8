package io.streamroutes.reliability;

import java.lang.management.MemoryUsage;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;

import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A large backlog drained by the real jar in a 256 MB heap. Bounded buffering is measured from outside: the group's
 * pending list (delivered, not yet acked) never holds more than two batches (the one in the route and the one read
 * ahead), sampled all along the drain.
 * Entries: {@code -Dreliability.entries} (20 000 by default, 100 000 with {@code -Preliability-long}).
 */
class BacklogIT extends ChildAppTestSupport {

    static final int ENTRIES = Integer.getInteger("reliability.entries", 20_000);
    static final int IN_FLIGHT = 10;
    static final String MAX_HEAP = "256m";

    private ChildApp child;



    @Test
    void aLargeBacklogDrainsInASmallHeapWithBoundedInFlight() throws Exception {
        RecordingStreams streams = new RecordingStreams(jedis);
        streams.add(0, ENTRIES);
        int jmxPort = ChildJmx.freePort();
        Map<String, String> props = ChildApp.redisAt(redis.host(), redis.port());
        props.put("reliability.consumer", "worker-a");
        props.put("reliability.count", Integer.toString(IN_FLIGHT));
        props.putAll(ChildJmx.agentProperties(jmxPort));
        long started = System.nanoTime();
        child = track(ChildApp.start("backlog", MAX_HEAP, props));
        AtomicLong mostPending = new AtomicLong();
        AtomicLong mostHeapUsed = new AtomicLong();
        try (ChildJmx jmx = ChildJmx.connect(jmxPort, 60_000)) {
            ObjectName memory = new ObjectName("java.lang:type=Memory");
            // samples the pending list and the heap every 20 ms while the backlog drains
            await("backlog drained").atMost(Duration.ofMillis(60_000 + ENTRIES * 3L)).pollInterval(Duration.ofMillis(20))
                    .pollInSameThread().until(() -> {
                        assertTrue(child.isAlive(), "child died; see " + child.outputFile());
                        mostPending.accumulateAndGet(streams.pendingCount(), Math::max);
                        MemoryUsage heap = MemoryUsage.from((CompositeData) jmx.server().getAttribute(memory, "HeapMemoryUsage"));
                        mostHeapUsed.accumulateAndGet(heap.getUsed(), Math::max);
                        return streams.processedCount() >= ENTRIES && streams.pendingCount() == 0;
                    });
        }
        long maxPending = mostPending.get();
        long maxHeapUsed = mostHeapUsed.get();
        double seconds = (System.nanoTime() - started) / 1e9;
        child.stopGracefully();
        RecordingStreams.Tally tally = streams.tally(ENTRIES);
        ReliabilityReport.section("5-backlog", """
                ## Backlog drained by the real jar with -Xmx%s
                | entries | seconds (incl. JVM start) | entries/s | lost | largest XPENDING seen | count (bound: 2 × count) | largest heap used |
                |---|---|---|---|---|---|---|
                | %d | %.1f | %.0f | %d | %d | %d | %d MB |
                """.formatted(MAX_HEAP, ENTRIES, seconds, ENTRIES / seconds, tally.lost(), maxPending, IN_FLIGHT,
                maxHeapUsed >> 20));
        assertEquals(0, tally.lost());
        assertTrue(maxPending <= 2 * IN_FLIGHT, "pending " + maxPending + " exceeded two batches of " + IN_FLIGHT
                                                + " (in the route + read ahead)");
    }
}
