package io.streamroutes.component.redisstreams.consumer.support;

import org.slf4j.MDC;

/**
 * The entry being processed, in the logging MDC of the thread that hands it to the route: every line logged while it is
 * processed carries its stream and id (next to Camel's {@code camel.routeId} with {@code camel.main.use-mdc-logging}).
 * {@code camel.main.mdc-logging-keys-pattern = redisStreams.*} lets Camel carry them to the threads an asynchronous
 * route continues on.
 * <p>
 * One instance covers the entries a thread hands out one after the other (those of a read): the stream is put once,
 * each entry only replaces the id, and {@link #close()} puts back what the thread had before. A batch
 * ({@code batching=true}) stands for many entries: it carries the stream and its first and last entry ids instead of
 * one entry id.
 */
public final class EntryMdc implements AutoCloseable {

    public static final String STREAM = "redisStreams.stream";
    public static final String ENTRY_ID = "redisStreams.entryId";
    public static final String FIRST_ENTRY_ID = "redisStreams.firstEntryId";
    public static final String LAST_ENTRY_ID = "redisStreams.lastEntryId";

    private final String previousStream;
    private final String previousId;
    /** Only a batch's MDC sets and puts back the batch keys (null: not a batch). */
    private final String[] previousRange;

    private EntryMdc(String stream, boolean batch) {
        previousStream = MDC.get(STREAM);
        previousId = MDC.get(ENTRY_ID);
        previousRange = batch ? new String[] { MDC.get(FIRST_ENTRY_ID), MDC.get(LAST_ENTRY_ID) } : null;
        put(STREAM, stream);
    }

    /** Sets the stream key until {@link #close()}; {@link #entry} sets the id of each entry. */
    public static EntryMdc of(String stream) {
        return new EntryMdc(stream, false);
    }

    /** Sets both keys until {@link #close()}. */
    public static EntryMdc of(String stream, String id) {
        EntryMdc mdc = new EntryMdc(stream, false);
        mdc.entry(id);
        return mdc;
    }

    /** A batch's entries, until {@link #close()}: the stream, the first and last entry ids, and no single entry id. */
    public static EntryMdc ofBatch(String stream, String firstId, String lastId) {
        EntryMdc mdc = new EntryMdc(stream, true);
        put(ENTRY_ID, null);
        put(FIRST_ENTRY_ID, firstId);
        put(LAST_ENTRY_ID, lastId);
        return mdc;
    }

    /** The entry handed out now: every line logged until the next call (or close) carries its id. */
    public void entry(String id) {
        put(ENTRY_ID, id);
    }

    @Override
    public void close() {
        put(STREAM, previousStream);
        put(ENTRY_ID, previousId);
        if (previousRange != null) {
            put(FIRST_ENTRY_ID, previousRange[0]);
            put(LAST_ENTRY_ID, previousRange[1]);
        }
    }

    private static void put(String key, String value) {
        if (value == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, value);
        }
    }
}
