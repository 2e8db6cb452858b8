package io.streamroutes.component.redisstreams.client;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Turns raw RESP replies of the stream commands into the component's types, and text into command arguments. */
final class StreamReplies {

    private StreamReplies() {
    }

    /** Entries of an XRANGE-style reply. */
    static List<StreamEntry> entries(List<?> reply) {
        List<StreamEntry> result = new ArrayList<>(reply == null ? 0 : reply.size());
        if (reply != null) {
            for (Object item : reply) {
                result.add(entry(item));
            }
        }
        return result;
    }

    /** The entries of an XREAD/XREADGROUP reply on one stream; none when the read timed out. */
    static List<StreamEntry> singleStream(Object reply) {
        if (reply == null) {
            return List.of();
        }
        List<?> streams = (List<?>) reply;
        if (streams.isEmpty()) {
            return List.of();
        }
        return entries((List<?>) ((List<?>) streams.get(0)).get(1));
    }

    /** One entry: id and its field/value list (nil fields for an entry deleted while pending). */
    @SuppressWarnings("unchecked")
    static StreamEntry entry(Object item) {
        List<?> pair = (List<?>) item;
        return new StreamEntry(string(pair.get(0)), (List<byte[]>) pair.get(1));
    }

    /** Each element of an array reply as text. */
    static List<String> strings(Object reply) {
        List<?> items = (List<?>) reply;
        List<String> result = new ArrayList<>(items.size());
        for (Object item : items) {
            result.add(string(item));
        }
        return result;
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** A bulk or status reply as UTF-8 text. */
    static String string(Object reply) {
        return reply instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : String.valueOf(reply);
    }
}
