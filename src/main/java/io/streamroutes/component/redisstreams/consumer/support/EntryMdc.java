package io.streamroutes.component.redisstreams.consumer.support;

import org.slf4j.MDC;

/**
 * The entry being processed, in the logging MDC of the thread that hands it to the route: every line logged while it is
 * processed carries its stream and id (next to Camel's {@code camel.routeId} with {@code camel.main.use-mdc-logging}).
 * {@code camel.main.mdc-logging-keys-pattern = redisStreams.*} lets Camel carry them to the threads an asynchronous
 * route continues on.
 */
public final class EntryMdc implements AutoCloseable {

    public static final String STREAM = "redisStreams.stream";
    public static final String ENTRY_ID = "redisStreams.entryId";

    private final String previousStream;
    private final String previousId;

    private EntryMdc(String stream, String id) {
        previousStream = MDC.get(STREAM);
        previousId = MDC.get(ENTRY_ID);
        put(STREAM, stream);
        put(ENTRY_ID, id);
    }

    /** Sets the keys until {@link #close()}, which puts back what the thread had before. */
    public static EntryMdc of(String stream, String id) {
        return new EntryMdc(stream, id);
    }

    @Override
    public void close() {
        put(STREAM, previousStream);
        put(ENTRY_ID, previousId);
    }

    private static void put(String key, String value) {
        if (value == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, value);
        }
    }
}
