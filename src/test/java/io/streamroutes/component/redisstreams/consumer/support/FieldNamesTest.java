package io.streamroutes.component.redisstreams.consumer.support;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.streamroutes.component.redisstreams.client.StreamEntry;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

/** The body map of an entry, decoded with the field names of the previous entry reused: always what the entry holds. */
class FieldNamesTest {

    private final FieldNames names = new FieldNames();

    private static StreamEntry entry(String... fieldsAndValues) {
        List<byte[]> raw = new ArrayList<>();
        for (String s : fieldsAndValues) {
            raw.add(s.getBytes(StandardCharsets.UTF_8));
        }
        return new StreamEntry("1-0", raw);
    }

    private static String keyAt(Map<String, String> map, int index) {
        return new ArrayList<>(map.keySet()).get(index);
    }

    @Test
    void entriesWithTheSameNamesShareTheNameStrings() {
        Map<String, String> first = names.decode(entry("type", "order_created", "order_id", "1"));
        Map<String, String> second = names.decode(entry("type", "order_paid", "order_id", "2"));

        assertEquals(Map.of("type", "order_paid", "order_id", "2"), second);
        assertEquals(List.of("type", "order_id"), new ArrayList<>(second.keySet()), "stream order");
        assertSame(keyAt(first, 0), keyAt(second, 0));
        assertSame(keyAt(first, 1), keyAt(second, 1));
    }

    @Test
    void otherNamesOrAnotherNumberOfFieldsAreDecodedAsTheyAre() {
        Map<String, String> first = names.decode(entry("type", "a", "order_id", "1"));
        assertEquals(Map.of("type", "a", "user_id", "7"), names.decode(entry("type", "a", "user_id", "7")));
        assertEquals(Map.of("type", "a"), names.decode(entry("type", "a")));
        assertEquals(Map.of("type", "a", "order_id", "1", "extra", "x"), names.decode(entry("type", "a", "order_id", "1", "extra", "x")));
        Map<String, String> again = names.decode(entry("type", "b", "order_id", "2"));
        assertEquals(Map.of("type", "b", "order_id", "2"), again);
        assertNotSame(keyAt(first, 1), keyAt(again, 1), "the names in between replaced the remembered ones");
    }

    @Test
    void decodesExactlyAsTheEntryDoes() {
        List<StreamEntry> entries = List.of(
                entry("a", "1", "a", "2"), // a name twice: the last value wins, as in StreamEntry.fields()
                entry("a", "1", "dangling"),
                entry(),
                new StreamEntry("2-0", List.of("k".getBytes(StandardCharsets.UTF_8), new byte[] {(byte) 0xC3, (byte) 0x28})),
                new StreamEntry("3-0", List.of(new byte[] {(byte) 0xFF}, "v".getBytes(StandardCharsets.UTF_8))),
                new StreamEntry("4-0", List.of(new byte[] {(byte) 0xFF}, "w".getBytes(StandardCharsets.UTF_8))));
        for (StreamEntry entry : entries) {
            Map<String, String> decoded = names.decode(entry);
            assertEquals(entry.fields(), decoded);
            assertEquals(new ArrayList<>(entry.fields().keySet()), new ArrayList<>(decoded.keySet()));
        }
    }
}
