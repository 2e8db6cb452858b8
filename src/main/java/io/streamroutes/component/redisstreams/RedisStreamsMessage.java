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
 * {@link RedisStreamsConstants} headers are put into the header map only when something asks for the map or changes a
 * header (as camel-jms does); reading one of them by name is answered without it. Most routes never read all six, and
 * Camel's case-insensitive header map makes each put cost more than the rest of the hand-over.
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
        for (String name : OWN_HEADERS) {
            Object value = ownHeader(name);
            if (value != null) {
                map.put(name, value);
            }
        }
    }

    private static final String[] OWN_HEADERS = {RedisStreamsConstants.STREAM_KEY, RedisStreamsConstants.ENTRY_ID,
        RedisStreamsConstants.DELIVERY_COUNT, RedisStreamsConstants.MESSAGE_TIMESTAMP, RedisStreamsConstants.GROUP,
        RedisStreamsConstants.CONSUMER};

    /** One of this message's own headers (names are case-insensitive, as in Camel's header map), or null. */
    private Object ownHeader(String name) {
        if (RedisStreamsConstants.ENTRY_ID.equalsIgnoreCase(name)) {
            return entryId;
        } else if (RedisStreamsConstants.STREAM_KEY.equalsIgnoreCase(name)) {
            return key;
        } else if (RedisStreamsConstants.DELIVERY_COUNT.equalsIgnoreCase(name)) {
            return deliveryCount;
        } else if (RedisStreamsConstants.MESSAGE_TIMESTAMP.equalsIgnoreCase(name)) {
            // the entry id's first part is the time Redis added the entry (ms since the epoch)
            return StreamId.parse(entryId).millis();
        } else if (group != null && RedisStreamsConstants.GROUP.equalsIgnoreCase(name)) {
            return group;
        } else if (group != null && RedisStreamsConstants.CONSUMER.equalsIgnoreCase(name)) {
            return consumer;
        }
        return null;
    }

    // Until something changes the headers they are this message's own: a route reading one of them (e.g. the entry id
    // of each entry of a batch) gets it without building Camel's case-insensitive header map.

    @Override
    public Object getHeader(String name) {
        return hasPopulatedHeaders() ? super.getHeader(name) : ownHeader(name);
    }

    @Override
    public Object getHeader(String name, Object defaultValue) {
        if (hasPopulatedHeaders()) {
            return super.getHeader(name, defaultValue);
        }
        Object value = ownHeader(name);
        return value != null ? value : defaultValue;
    }

    @Override
    public <T> T getHeader(String name, Class<T> type) {
        if (!hasPopulatedHeaders()) {
            Object value = ownHeader(name);
            if (value == null) {
                return null;
            }
            if (type.isInstance(value)) {
                return type.cast(value);
            }
        }
        return super.getHeader(name, type); // a conversion: as Camel does it
    }
}
