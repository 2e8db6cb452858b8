package io.streamroutes.demo;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import redis.clients.jedis.Jedis;
import redis.clients.jedis.resps.StreamGroupInfo;

/**
 * What the demo shows per stream, read from Redis: entries, processed (delivered to every group and acked), pending
 * and dead-lettered.
 */
record StreamFigures(long length, long processed, long pending, long deadLettered) {

    boolean settled() {
        return pending == 0 && processed + deadLettered >= length;
    }

    /** {@code streams}: each stream key with its dead-letter stream's key (null when it has none). */
    static Map<String, StreamFigures> read(Jedis jedis, Map<String, String> streams) {
        Map<String, StreamFigures> figures = new LinkedHashMap<>();
        for (Map.Entry<String, String> stream : streams.entrySet()) {
            String key = stream.getKey();
            String deadLetters = stream.getValue();
            long length = jedis.exists(key) ? jedis.xlen(key) : 0;
            long dead = deadLetters != null && jedis.exists(deadLetters) ? jedis.xlen(deadLetters) : 0;
            List<StreamGroupInfo> groups = length == 0 ? List.of() : jedis.xinfoGroups(key);
            long pending = 0;
            long undelivered = 0;
            for (StreamGroupInfo group : groups) {
                pending += group.getPending();
                undelivered += jedis.xrange(key, "(" + group.getLastDeliveredId(), "+").size();
            }
            long processed = groups.isEmpty() ? 0 : Math.max(0, length - undelivered - pending - dead);
            figures.put(key, new StreamFigures(length, processed, pending, dead));
        }
        return figures;
    }
}
