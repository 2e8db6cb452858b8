package io.streamroutes.media;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import redis.clients.jedis.Jedis;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.params.XPendingParams;
import redis.clients.jedis.resps.StreamEntry;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The media route's streams as the scenario tests see them. */
final class MediaStreams {

    private MediaStreams() {
    }

    /** Adds a task to {@code media:tasks}; returns its id. */
    static String task(Jedis jedis, String userId, String fileId, String action) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("user_id", userId);
        fields.put("file_id", fileId);
        fields.put("action", action);
        return jedis.xadd("media:tasks", StreamEntryID.NEW_ENTRY, fields).toString();
    }

    /** The entries of {@code stream} whose {@code file_id} is the given one (null: entries without it). */
    static List<Map<String, String>> entries(Jedis jedis, String stream, String fileId) {
        return jedis.xrange(stream, (StreamEntryID) null, (StreamEntryID) null).stream().map(StreamEntry::getFields)
                .filter(f -> Objects.equals(f.get("file_id"), fileId)).toList();
    }

    /**
     * Adds a task and waits (up to a minute: HEIC decoding is slow on a loaded machine) until it has a result for
     * {@code action}; fails when it was dead-lettered instead.
     */
    static Map<String, String> process(Jedis jedis, String fileId, String action) {
        task(jedis, "456", fileId, action);
        await(action + " " + fileId).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> entries(jedis, "media:results", fileId).stream().anyMatch(r -> action.equals(r.get("action")))
                             || !entries(jedis, "media:dead-letter", fileId).isEmpty());
        assertEquals(List.of(), entries(jedis, "media:dead-letter", fileId), fileId + " dead-lettered");
        return entries(jedis, "media:results", fileId).stream().filter(r -> action.equals(r.get("action"))).findFirst().orElseThrow();
    }

    /** How often the pending task was delivered (0 when not pending). */
    static long deliveryCount(Jedis jedis, String id) {
        return jedis.xpending("media:tasks", "media-workers",
                        XPendingParams.xPendingParams(new StreamEntryID(id), new StreamEntryID(id), 1))
                .stream().findFirst().map(p -> p.getDeliveredTimes()).orElse(0L);
    }
}
