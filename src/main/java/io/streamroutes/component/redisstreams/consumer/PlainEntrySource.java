package io.streamroutes.component.redisstreams.consumer;

import java.util.List;

import io.streamroutes.component.redisstreams.client.StreamCommands;
import io.streamroutes.component.redisstreams.client.StreamEntry;

/** Where a reader without a group gets its entries: XREAD from {@code startId} ("$": the end at start), onwards. */
final class PlainEntrySource {

    private final String key;
    private final String startId;
    private String cursor;

    PlainEntrySource(String key, String startId) {
        this.key = key;
        this.startId = startId;
    }

    /** Fixes where reading starts, once. */
    void start(StreamCommands redis) {
        if (cursor == null) {
            cursor = "$".equals(startId) ? redis.lastId(key) : startId;
        }
    }

    List<StreamEntry> next(StreamCommands redis, int count, long blockMs) {
        List<StreamEntry> entries = redis.read(key, count, blockMs, cursor);
        if (!entries.isEmpty()) {
            cursor = entries.get(entries.size() - 1).id();
        }
        return entries;
    }
}
