package io.streamroutes.bench;

import java.util.LinkedHashMap;
import java.util.Map;

import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.params.XAddParams;

/**
 * The benchmark's streams: one source stream pre-filled once, and a fresh {@code COPY} of it (with a new consumer
 * group) for every drain run, so every contestant drains exactly the same entries.
 */
final class BenchStreams {

    static final String GROUP = "bench";
    static final String SOURCE = "bench:source";
    /** Field carrying {@link System#nanoTime()} at XADD in the latency phase. */
    static final String SENT_AT = "sent_at_ns";

    private final Jedis jedis;
    private int runs;

    BenchStreams(Jedis jedis) {
        this.jedis = jedis;
    }

    /** Three small fields, like the scenarios' business events. */
    static Map<String, String> fields(long i) {
        Map<String, String> fields = new LinkedHashMap<>(4);
        fields.put("type", "order_created");
        fields.put("order_id", Long.toString(1000 + i));
        fields.put("user_id", Long.toString(i % 1000));
        return fields;
    }

    void fillSource(int entries) {
        jedis.del(SOURCE);
        fill(jedis, SOURCE, entries);
    }

    /** Pipelined XADD of {@code entries} entries. */
    static void fill(Jedis jedis, String key, int entries) {
        fill(jedis, key, entries, BenchStreams::fields);
    }

    /** Pipelined XADD of {@code entries} entries with the fields {@code fields} gives for 0, 1, ... */
    static void fill(Jedis jedis, String key, int entries, java.util.function.IntFunction<Map<String, String>> fields) {
        Pipeline pipeline = new Pipeline(jedis.getConnection());
        for (int i = 0; i < entries; i++) {
            pipeline.xadd(key, XAddParams.xAddParams(), fields.apply(i));
            if (i % 1000 == 999) {
                pipeline.sync();
            }
        }
        pipeline.sync();
    }

    /** A new copy of the first {@code entries} of the source stream with group {@link #GROUP} at 0. */
    String freshCopy(String contestant, int entries) {
        String key = newKey(contestant);
        if (entries == jedis.xlen(SOURCE)) {
            jedis.copy(SOURCE, key, false);
        } else {
            fill(jedis, key, entries);
        }
        jedis.xgroupCreate(key, GROUP, new StreamEntryID(0, 0), false);
        return key;
    }

    /** An empty stream with group {@link #GROUP}, for the latency phase. */
    String emptyWithGroup(String contestant) {
        String key = newKey(contestant);
        jedis.xgroupCreate(key, GROUP, new StreamEntryID(0, 0), true);
        return key;
    }

    /** A key no run used before, for producers. */
    String newKey(String contestant) {
        return "bench:" + contestant + ":" + (++runs);
    }

    long length(String key) {
        return jedis.xlen(key);
    }

    long pending(String key) {
        return jedis.xpending(key, GROUP).getTotal();
    }

    void delete(String key) {
        jedis.del(key);
    }
}
