package io.streamroutes.component.redisstreams.consumer.support;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.streamroutes.component.redisstreams.client.StreamEntry;

/**
 * Decodes entries' fields into the body map as {@link StreamEntry#fields()} does, but reuses the field-name Strings of
 * the previous entry when its names have the same bytes: the entries of one stream mostly share their field names, so
 * a name is decoded (and hashed by the map) once, not once per entry. Values are always decoded. Thread-safe (an
 * immutable snapshot of the last names), for the reading thread and the worker threads alike.
 */
public final class FieldNames {

    private record Names(byte[][] raw, String[] decoded) {

        static Names of(List<byte[]> fields) {
            int count = fields.size() / 2;
            byte[][] raw = new byte[count][];
            String[] decoded = new String[count];
            for (int i = 0; i < count; i++) {
                raw[i] = fields.get(2 * i);
                decoded[i] = new String(raw[i], StandardCharsets.UTF_8);
            }
            return new Names(raw, decoded);
        }

        boolean match(List<byte[]> fields) {
            if (fields.size() / 2 != raw.length) {
                return false;
            }
            for (int i = 0; i < raw.length; i++) {
                if (!Arrays.equals(raw[i], fields.get(2 * i))) {
                    return false;
                }
            }
            return true;
        }
    }

    private volatile Names last = new Names(new byte[0][], new String[0]);

    /** The entry's fields in stream order, decoded as UTF-8 (invalid bytes become U+FFFD). */
    public Map<String, String> decode(StreamEntry entry) {
        List<byte[]> fields = entry.rawFields();
        if (fields == null) {
            return entry.fields(); // a deleted entry: as StreamEntry has it
        }
        Names names = last;
        if (!names.match(fields)) {
            names = Names.of(fields);
            last = names;
        }
        Map<String, String> map = new LinkedHashMap<>(Math.max(4, fields.size()));
        for (int i = 0; i < names.decoded.length; i++) {
            map.put(names.decoded[i], new String(fields.get(2 * i + 1), StandardCharsets.UTF_8));
        }
        return map;
    }
}
