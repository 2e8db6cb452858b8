package io.streamroutes.component.redisstreams;

import java.util.Map;

import io.streamroutes.component.redisstreams.client.GroupConsumer;
import io.streamroutes.component.redisstreams.client.StreamEntry;
import io.streamroutes.component.redisstreams.client.StreamId;
import io.streamroutes.component.redisstreams.client.UnconfirmedWrites;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultMessage;

/**
 * The in message of an exchange created for one stream entry: the body is the entry's field map, and the
 * {@link RedisStreamsConstants} headers are put into the header map only when something first looks at the headers
 * (as camel-jms does). Most routes never read all six, and Camel's case-insensitive header map makes each put cost
 * more than the rest of the hand-over.
 */
public final class RedisStreamsMessage extends DefaultMessage {

    private final String key;
    private final String entryId;
    private final long deliveryCount;
    private final String group;
    private final String consumer;

    /**
     * @param reader the consumer the entry was read as; its group is null for a read without a group
     * @param body   the entry's fields as a map
     */
    public RedisStreamsMessage(Exchange exchange, GroupConsumer reader, StreamEntry entry, Map<String, String> body, long deliveryCount) {
        super(exchange);
        this.key = reader.key();
        this.entryId = entry.id();
        this.deliveryCount = deliveryCount;
        this.group = reader.group();
        this.consumer = reader.name();
        setBody(body);
    }

    /** The group entry this message carries, or null when it was read without a group. */
    public UnconfirmedWrites.SourceEntry sourceEntry() {
        return group == null ? null : new UnconfirmedWrites.SourceEntry(key, group, entryId);
    }

    /** Without this, {@code hasHeaders()} would report none before the map exists, and a copy would have no headers. */
    @Override
    protected boolean isPopulateHeadersSupported() {
        return true;
    }

    @Override
    protected void populateInitialHeaders(Map<String, Object> map) {
        map.put(RedisStreamsConstants.STREAM_KEY, key);
        map.put(RedisStreamsConstants.ENTRY_ID, entryId);
        map.put(RedisStreamsConstants.DELIVERY_COUNT, deliveryCount);
        // the entry id's first part is the time Redis added the entry (ms since the epoch)
        map.put(RedisStreamsConstants.MESSAGE_TIMESTAMP, StreamId.parse(entryId).millis());
        if (group != null) {
            map.put(RedisStreamsConstants.GROUP, group);
            map.put(RedisStreamsConstants.CONSUMER, consumer);
        }
    }
}
