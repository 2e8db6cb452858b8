package io.streamroutes.component.redisstreams.client;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One stream entry as Redis returned it. The raw field bytes are kept so that a dead-lettered entry is copied
 * byte for byte, even when a value is not valid UTF-8.
 *
 * @param id        the entry id
 * @param rawFields field, value, field, value ... or {@code null} when the entry was deleted while pending
 */
public record StreamEntry(String id, List<byte[]> rawFields) {

    public boolean isDeleted() {
        return rawFields == null;
    }

    /** The fields in stream order, decoded as UTF-8 (invalid bytes become U+FFFD). */
    public Map<String, String> fields() {
        Map<String, String> map = new LinkedHashMap<>(Math.max(4, rawFields.size()));
        for (int i = 0; i + 1 < rawFields.size(); i += 2) {
            map.put(new String(rawFields.get(i), StandardCharsets.UTF_8), new String(rawFields.get(i + 1), StandardCharsets.UTF_8));
        }
        return map;
    }
}
