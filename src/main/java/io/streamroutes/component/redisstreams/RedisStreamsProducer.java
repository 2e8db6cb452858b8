package io.streamroutes.component.redisstreams;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.support.DefaultProducer;

/**
 * Adds the body's fields as one entry (XADD), optionally trimming the stream (MAXLEN ~), and sets
 * {@link RedisStreamsConstants#ENTRY_ID} to the new id.
 */
public class RedisStreamsProducer extends DefaultProducer {

    public RedisStreamsProducer(RedisStreamsEndpoint endpoint) {
        super(endpoint);
    }

    @Override
    public RedisStreamsEndpoint getEndpoint() {
        return (RedisStreamsEndpoint) super.getEndpoint();
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        List<byte[]> fields = toFields(exchange);
        RedisStreamsEndpoint endpoint = getEndpoint();
        String id;
        try (RedisStreamsClient client = endpoint.newClient()) {
            id = client.add(endpoint.getStreamKey(), endpoint.getConfiguration().getMaxLen(), fields);
        }
        exchange.getMessage().setHeader(RedisStreamsConstants.ENTRY_ID, id);
    }

    private static List<byte[]> toFields(Exchange exchange) throws Exception {
        Object body = exchange.getIn().getBody();
        if (!(body instanceof Map<?, ?> map)) {
            throw new InvalidPayloadException(exchange, Map.class, exchange.getIn(),
                    new IllegalArgumentException("redis-streams producer needs a java.util.Map body of field -> value, got "
                                                 + (body == null ? "null" : body.getClass().getName())));
        }
        if (map.isEmpty()) {
            throw new IllegalArgumentException("redis-streams producer: the Map body is empty; a stream entry needs at least one field");
        }
        List<byte[]> fields = new ArrayList<>(map.size() * 2);
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (e.getKey() == null || e.getValue() == null) {
                throw new IllegalArgumentException("redis-streams producer: field " + e.getKey() + " has a null "
                                                   + (e.getKey() == null ? "name" : "value"));
            }
            fields.add(e.getKey().toString().getBytes(StandardCharsets.UTF_8));
            fields.add(e.getValue() instanceof byte[] raw
                    ? raw
                    : exchange.getContext().getTypeConverter().mandatoryConvertTo(String.class, exchange, e.getValue())
                            .getBytes(StandardCharsets.UTF_8));
        }
        return fields;
    }
}
