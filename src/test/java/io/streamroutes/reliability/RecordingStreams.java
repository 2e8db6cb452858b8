package io.streamroutes.reliability;

import java.util.BitSet;
import java.util.List;
import java.util.Map;

import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.resps.StreamEntry;

/**
 * The streams of {@code reliability/recording-route.yaml}, seen from the test: entries numbered {@code n} = 0..N-1
 * go in, the route records each processed entry's fields in {@code reliability:processed} before acking it, and
 * failing ones end in {@code reliability:dead-letter}.
 */
final class RecordingStreams {

    static final String ENTRIES = "reliability:entries";
    static final String GROUP = "reliability";
    static final String PROCESSED = "reliability:processed";
    static final String DEAD_LETTER = "reliability:dead-letter";
    static final String POISON_ATTEMPTS = "reliability:poison-attempts";
    private static final int PAGE = 10_000;

    private final Jedis jedis;

    RecordingStreams(Jedis jedis) {
        this.jedis = jedis;
    }

    /** XADDs entries n = from..to-1 (pipelined); those with n in {@code poison} carry poison=true. */
    void add(int from, int to, int... poison) {
        BitSet poisoned = new BitSet();
        for (int p : poison) {
            poisoned.set(p);
        }
        Pipeline pipeline = jedis.pipelined();
        for (int n = from; n < to; n++) {
            pipeline.xadd(ENTRIES, StreamEntryID.NEW_ENTRY,
                    poisoned.get(n) ? Map.of("n", Integer.toString(n), "poison", "true") : Map.of("n", Integer.toString(n)));
            if ((n - from) % PAGE == PAGE - 1) {
                pipeline.sync();
            }
        }
        pipeline.sync();
    }

    long processedCount() {
        return jedis.xlen(PROCESSED);
    }

    long pendingCount() {
        try {
            return jedis.xpending(ENTRIES, GROUP).getTotal();
        } catch (RuntimeException e) {
            return -1; // group not created yet
        }
    }

    /** Pending entries per consumer name. */
    Map<String, Long> pendingByConsumer() {
        return jedis.xpending(ENTRIES, GROUP).getConsumerMessageCount();
    }

    /** Counts, for n = 0..total-1, how often the entry was processed and whether it was dead-lettered. */
    Tally tally(int total) {
        int[] processed = new int[total];
        forEach(PROCESSED, fields -> processed[Integer.parseInt(fields.get("n"))]++);
        BitSet dead = new BitSet(total);
        forEach(DEAD_LETTER, fields -> dead.set(Integer.parseInt(fields.get("n"))));
        return Tally.of(processed, dead);
    }

    List<StreamEntry> deadLetters() {
        return jedis.xrange(DEAD_LETTER, (StreamEntryID) null, (StreamEntryID) null);
    }

    private void forEach(String key, java.util.function.Consumer<Map<String, String>> action) {
        StreamEntryID after = null;
        while (true) {
            List<StreamEntry> page = after == null
                    ? jedis.xrange(key, (StreamEntryID) null, (StreamEntryID) null, PAGE)
                    : jedis.xrange(key, "(" + after, "+", PAGE);
            page.forEach(e -> action.accept(e.getFields()));
            if (page.size() < PAGE) {
                return;
            }
            after = page.get(page.size() - 1).getID();
        }
    }

    /** Outcome of a run: every entry must be processed at least once or dead-lettered. */
    record Tally(int total, int processedOnce, int duplicates, int deadLettered, int lost) {

        static Tally of(int[] processed, BitSet dead) {
            int once = 0;
            int duplicates = 0;
            int lost = 0;
            for (int n = 0; n < processed.length; n++) {
                if (processed[n] > 0) {
                    once++;
                    duplicates += processed[n] - 1;
                } else if (!dead.get(n)) {
                    lost++;
                }
            }
            return new Tally(processed.length, once, duplicates, dead.cardinality(), lost);
        }

        boolean complete() {
            return lost == 0;
        }
    }
}
