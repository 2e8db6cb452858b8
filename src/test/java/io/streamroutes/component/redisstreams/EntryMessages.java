package io.streamroutes.component.redisstreams;

import java.util.Map;

import io.streamroutes.component.redisstreams.client.StreamEntry;
import io.streamroutes.component.redisstreams.client.StreamGroup;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * Test scope: lets the benchmark's Camel floor ({@code io.streamroutes.bench.CamelFloorDrainer}) put on its exchanges
 * the very message the consumer builds for a first delivery, lazily populated headers included.
 */
public final class EntryMessages {

    private EntryMessages() {
    }

    public static Message firstDelivery(Exchange exchange, String key, StreamEntry entry, Map<String, String> body, String group,
                                        String consumer) {
        return new RedisStreamsMessage(exchange, new StreamGroup(key, group).consumer(consumer), entry, body, 1);
    }
}
