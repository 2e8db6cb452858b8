package io.streamroutes.bench;

import java.util.Map;

import io.streamroutes.component.redisstreams.RedisStreamsConstants;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultMessage;

/**
 * The in message of a {@link CamelFloorDrainer} exchange, built as the component's {@code RedisStreamsMessage} is: the
 * entry's field map as body, and the same six headers put into the header map only when something first looks at them.
 */
final class FloorMessage extends DefaultMessage {

    private final String key;
    private final String entryId;
    private final String group;
    private final String consumer;

    FloorMessage(Exchange exchange, String key, String entryId, Map<String, String> body, String group, String consumer) {
        super(exchange);
        this.key = key;
        this.entryId = entryId;
        this.group = group;
        this.consumer = consumer;
        setBody(body);
    }

    @Override
    protected boolean isPopulateHeadersSupported() {
        return true;
    }

    @Override
    protected void populateInitialHeaders(Map<String, Object> map) {
        map.put(RedisStreamsConstants.STREAM_KEY, key);
        map.put(RedisStreamsConstants.ENTRY_ID, entryId);
        map.put(RedisStreamsConstants.DELIVERY_COUNT, 1L);
        map.put(RedisStreamsConstants.MESSAGE_TIMESTAMP, Long.parseLong(entryId.substring(0, entryId.indexOf('-'))));
        map.put(RedisStreamsConstants.GROUP, group);
        map.put(RedisStreamsConstants.CONSUMER, consumer);
    }
}
