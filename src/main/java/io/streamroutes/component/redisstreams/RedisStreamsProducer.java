package io.streamroutes.component.redisstreams;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingDeque;
import java.util.concurrent.LinkedBlockingDeque;

import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.support.DefaultProducer;

/**
 * Adds the body's fields as one entry (XADD), optionally trimming the stream (MAXLEN ~), and sets
 * {@link RedisStreamsConstants#ENTRY_ID} to the new id.
 * <p>
 * Clients are kept open between calls (up to {@link #MAX_IDLE_CLIENTS}, one per concurrent caller): opening a Spring
 * Data Redis connection per entry cost as much CPU as the XADD itself.
 */
public class RedisStreamsProducer extends DefaultProducer {

    static final int MAX_IDLE_CLIENTS = 8;

    private final BlockingDeque<RedisStreamsClient> idleClients = new LinkedBlockingDeque<>(MAX_IDLE_CLIENTS);

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
        RedisStreamsClient client = idleClients.pollFirst();
        if (client == null) {
            client = endpoint.newClient();
        }
        String id;
        try {
            id = client.add(endpoint.getStreamKey(), endpoint.getConfiguration().getMaxLen(), fields);
        } catch (RuntimeException e) {
            client.close(); // the connection may be broken: give it back to the pool, which discards broken ones
            throw e;
        }
        if (!idleClients.offerFirst(client)) {
            client.close();
        }
        if (!isRunAllowed()) {
            closeIdleClients(); // stopped while this call ran
        }
        exchange.getMessage().setHeader(RedisStreamsConstants.ENTRY_ID, id);
    }

    @Override
    protected void doStop() throws Exception {
        closeIdleClients();
        super.doStop();
    }

    private void closeIdleClients() {
        RedisStreamsClient client;
        while ((client = idleClients.pollFirst()) != null) {
            client.close();
        }
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
            Object value = e.getValue();
            fields.add(value instanceof byte[] raw
                    ? raw
                    : value instanceof String text
                    ? text.getBytes(StandardCharsets.UTF_8)
                    : exchange.getContext().getTypeConverter().mandatoryConvertTo(String.class, exchange, value)
                            .getBytes(StandardCharsets.UTF_8));
        }
        return fields;
    }
}
