package io.streamroutes.reliability;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.awaitility.Awaitility;
import redis.clients.jedis.commands.StreamCommands;
import redis.clients.jedis.resps.StreamEntry;

/**
 * Load across a Redis failover, in process: a writer sends numbered entries through the redis-streams producer as fast
 * as it can, retrying a number until its exchange succeeds (confirmed); a group consumer records every number it
 * processes. Afterwards: confirmed numbers never processed (lost), extra deliveries (duplicates), and when consuming
 * resumed after the failure.
 */
final class FailoverLoad implements AutoCloseable {

    private final CamelContext context;
    private final String producerUri;
    private final Set<Integer> confirmed = ConcurrentHashMap.newKeySet();
    private final Map<Integer, Integer> processed = new ConcurrentHashMap<>();
    private final AtomicInteger deliveries = new AtomicInteger();
    private final AtomicInteger failedWrites = new AtomicInteger();
    private final AtomicLong firstProcessedAfter = new AtomicLong();
    private volatile long failureAt;
    private volatile int lastConfirmedBeforeFailure = -1;
    private volatile boolean writing = true;
    private Thread writer;

    FailoverLoad(CamelContext context, String consumerUri, String producerUri) throws Exception {
        this.context = context;
        this.producerUri = producerUri;
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(consumerUri).routeId("failover-consumer").process(e -> {
                    int n = Integer.parseInt(e.getIn().getBody(Map.class).get("n").toString());
                    deliveries.incrementAndGet();
                    processed.merge(n, 1, Integer::sum);
                    if (failureAt > 0 && n > lastConfirmedBeforeFailure) {
                        firstProcessedAfter.compareAndSet(0, System.currentTimeMillis());
                    }
                });
            }
        });
    }

    void startWriting() {
        writer = new Thread(() -> {
            try (ProducerTemplate template = context.createProducerTemplate()) {
                int n = 0;
                while (writing) {
                    try {
                        template.sendBody(producerUri, Map.of("n", Integer.toString(n)));
                        confirmed.add(n);
                        n++;
                        Thread.sleep(1); // a steady write rate
                    } catch (Exception e) {
                        failedWrites.incrementAndGet();
                        Thread.sleep(50); // Redis is failing over: retry the same number
                    }
                }
            } catch (Exception e) {
                Thread.currentThread().interrupt();
            }
        }, "failover-writer");
        writer.start();
    }

    /** Marks the moment the primary was killed (call right after it exited): later numbers were written after it. */
    void failureNow() {
        lastConfirmedBeforeFailure = confirmed.stream().mapToInt(Integer::intValue).max().orElse(-1);
        failureAt = System.currentTimeMillis();
    }

    void awaitConfirmed(int count) {
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> confirmed.size() >= count);
    }

    /**
     * Waits until an entry written after the failure was processed (at least 3 s after it), then for {@code more}
     * further confirmed writes, and stops the writer.
     */
    void awaitResumedThenStop(int more) throws InterruptedException {
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> resumeSeconds() >= 0
                                                                    && System.currentTimeMillis() - failureAt > 3000);
        int afterResume = confirmed.size();
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> confirmed.size() >= afterResume + more);
        stopWriting();
    }

    void stopWriting() throws InterruptedException {
        writing = false;
        writer.join(30_000);
    }

    int confirmedCount() {
        return confirmed.size();
    }

    int failedWrites() {
        return failedWrites.get();
    }

    /** Confirmed numbers that were never processed. */
    long unprocessed() {
        return confirmed.stream().filter(n -> !processed.containsKey(n)).count();
    }

    /** Confirmed numbers missing from the stream as the new primary holds it (nothing trims it in these tests). */
    long lostFrom(StreamCommands newPrimary, String key) {
        Set<Integer> stored = new HashSet<>();
        String from = "-";
        List<StreamEntry> page;
        while (!(page = newPrimary.xrange(key, from, "+", 1000)).isEmpty()) {
            page.forEach(e -> stored.add(Integer.parseInt(e.getFields().get("n"))));
            from = "(" + page.get(page.size() - 1).getID();
        }
        return confirmed.stream().filter(n -> !stored.contains(n)).count();
    }

    /** Deliveries beyond the first of each number (redeliveries after lost acks, rewrites after unconfirmed writes). */
    int duplicates() {
        return deliveries.get() - processed.size();
    }

    /** Seconds from the failure to the first entry written after it being processed, or -1. */
    double resumeSeconds() {
        long first = firstProcessedAfter.get();
        return first == 0 ? -1 : (first - failureAt) / 1000.0;
    }

    int processedNumbers() {
        return processed.size();
    }

    @Override
    public void close() throws Exception {
        if (writer != null && writer.isAlive()) {
            stopWriting();
        }
    }
}
