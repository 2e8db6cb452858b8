package io.streamroutes.component.redisstreams.client;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A failed entry on its way to the dead-letter stream: its original fields, byte for byte, plus the {@code x-}
 * fields that tell where it came from and why it failed.
 */
public record DeadLetterEntry(String id, List<byte[]> fieldsAndValues) {

    static final String SOURCE_STREAM = "x-source-stream";
    static final String SOURCE_ID = "x-source-id";
    static final String GROUP = "x-group";
    static final String DELIVERY_COUNT = "x-delivery-count";
    static final String ERROR = "x-error";
    static final String FAILED_AT = "x-failed-at";

    static final int MAX_ERROR_BYTES = 1024;

    public static DeadLetterEntry of(StreamEntry entry, StreamGroup from, long deliveryCount, String error) {
        List<byte[]> fields = new ArrayList<>(entry.rawFields().size() + 12);
        fields.addAll(entry.rawFields());
        add(fields, SOURCE_STREAM, from.key());
        add(fields, SOURCE_ID, entry.id());
        add(fields, GROUP, from.group());
        add(fields, DELIVERY_COUNT, Long.toString(deliveryCount));
        add(fields, ERROR, truncateUtf8(error, MAX_ERROR_BYTES));
        add(fields, FAILED_AT, Instant.now().toString());
        return new DeadLetterEntry(entry.id(), fields);
    }

    /** "ExceptionClass: message" of the failure, the form stored in {@code x-error}. */
    public static String describe(Throwable e) {
        if (e == null) {
            return "unknown error";
        }
        return e.getClass().getName() + ": " + e.getMessage();
    }

    private static void add(List<byte[]> fields, String name, String value) {
        fields.add(name.getBytes(StandardCharsets.UTF_8));
        fields.add(value.getBytes(StandardCharsets.UTF_8));
    }

    /** Cuts to at most maxBytes of UTF-8 without splitting a character. */
    static String truncateUtf8(String s, int maxBytes) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        if (b.length <= maxBytes) {
            return s;
        }
        int end = maxBytes;
        while (end > 0 && (b[end] & 0xC0) == 0x80) {
            end--;
        }
        return new String(b, 0, end, StandardCharsets.UTF_8);
    }
}
