package io.streamroutes.component.redisstreams;

import java.util.List;
import java.util.Map;

import io.streamroutes.component.redisstreams.client.StreamEntry;
import io.streamroutes.component.redisstreams.client.StreamGroup;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The headers of a consumed entry's message, read before and after something changed them; no server needed. */
class RedisStreamsMessageTest {

    private static final DefaultCamelContext CONTEXT = new DefaultCamelContext();
    private static final StreamEntry ENTRY = new StreamEntry("1700000000123-4", List.of());

    @AfterAll
    static void closeContext() throws Exception {
        CONTEXT.close();
    }

    private static RedisStreamsMessage message(String group) {
        Exchange exchange = new DefaultExchange(CONTEXT);
        RedisStreamsMessage message = new RedisStreamsMessage(exchange, new StreamGroup("orders", group).consumer("c1"), ENTRY,
                Map.of("type", "email"), 3);
        exchange.setIn(message);
        return message;
    }

    @Test
    void ownHeadersAreReadByAnyCaseWithTheirTypesAndDefaults() {
        RedisStreamsMessage message = message("g");
        assertEquals("1700000000123-4", message.getHeader(RedisStreamsConstants.ENTRY_ID));
        assertEquals("1700000000123-4", message.getHeader(RedisStreamsConstants.ENTRY_ID.toLowerCase()));
        assertEquals(3L, message.getHeader(RedisStreamsConstants.DELIVERY_COUNT, Long.class));
        assertEquals("3", message.getHeader(RedisStreamsConstants.DELIVERY_COUNT, String.class), "converted as Camel does");
        assertEquals(1700000000123L, message.getHeader(Exchange.MESSAGE_TIMESTAMP, Long.class));
        assertEquals(1700000000123L, message.getMessageTimestamp());
        assertEquals("orders", message.getHeader(RedisStreamsConstants.STREAM_KEY, "none"));
        assertEquals("none", message.getHeader("tenant", "none"));
        assertNull(message.getHeader("tenant"));
        assertNull(message.getHeader("tenant", String.class));
        assertEquals(Map.of(RedisStreamsConstants.STREAM_KEY, "orders", RedisStreamsConstants.ENTRY_ID, "1700000000123-4",
                RedisStreamsConstants.DELIVERY_COUNT, 3L, Exchange.MESSAGE_TIMESTAMP, 1700000000123L,
                RedisStreamsConstants.GROUP, "g", RedisStreamsConstants.CONSUMER, "c1"), Map.copyOf(message.getHeaders()));
    }

    @Test
    void withoutAGroupThereAreNoGroupHeaders() {
        RedisStreamsMessage message = message(null);
        assertNull(message.getHeader(RedisStreamsConstants.GROUP));
        assertNull(message.getHeader(RedisStreamsConstants.CONSUMER, String.class));
        assertEquals(4, message.getHeaders().size());
    }

    @Test
    void changedHeadersAreReadAsChanged() {
        RedisStreamsMessage message = message("g");
        message.removeHeader(RedisStreamsConstants.ENTRY_ID);
        message.setHeader(RedisStreamsConstants.DELIVERY_COUNT, 7L);
        message.setHeader("tenant", "acme");

        assertNull(message.getHeader(RedisStreamsConstants.ENTRY_ID));
        assertEquals("gone", message.getHeader(RedisStreamsConstants.ENTRY_ID, "gone"));
        assertEquals(7L, message.getHeader(RedisStreamsConstants.DELIVERY_COUNT, Long.class));
        assertEquals("acme", message.getHeader("tenant"));
        assertEquals("g", message.getHeader(RedisStreamsConstants.GROUP));
    }
}
