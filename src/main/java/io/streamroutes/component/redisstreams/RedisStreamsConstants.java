package io.streamroutes.component.redisstreams;

import org.apache.camel.Exchange;
import org.apache.camel.spi.Metadata;

/**
 * Exchange header names set by the redis-streams consumer and producer. These names are a public contract.
 */
public final class RedisStreamsConstants {

    @Metadata(label = "consumer", description = "The key of the stream the entry was read from.", javaType = "String")
    public static final String STREAM_KEY = "CamelRedisStreamsStreamKey";

    @Metadata(description = "The stream entry id: set by the consumer for the entry read, and by the producer for the entry added.",
              javaType = "String")
    public static final String ENTRY_ID = "CamelRedisStreamsEntryId";

    @Metadata(label = "producer",
              description = "The ids of the entries added, in order, when the body was a Collection of maps (a batch).",
              javaType = "java.util.List<String>")
    public static final String ENTRY_IDS = "CamelRedisStreamsEntryIds";

    @Metadata(label = "consumer", description = "The consumer group the entry was delivered to (absent for a plain reader).",
              javaType = "String")
    public static final String GROUP = "CamelRedisStreamsGroup";

    @Metadata(label = "consumer", description = "The consumer name inside the group the entry was delivered to.",
              javaType = "String")
    public static final String CONSUMER = "CamelRedisStreamsConsumer";

    @Metadata(label = "consumer",
              description = "How many times the entry has been delivered: 1 for a first delivery, more for re-read or claimed entries.",
              javaType = "long")
    public static final String DELIVERY_COUNT = "CamelRedisStreamsDeliveryCount";

    @Metadata(label = "consumer",
              description = "When Redis added the entry (ms since the epoch): the millisecond part of the entry id.",
              javaType = "long")
    public static final String MESSAGE_TIMESTAMP = Exchange.MESSAGE_TIMESTAMP;

    @Metadata(label = "producer",
              description = "Deliver the entry at this time, not before: epoch milliseconds or an ISO-8601 instant "
                            + "(2026-12-01T10:00:00Z). Until then it waits in the sorted set <key>:scheduled in Redis "
                            + "({<key>}:scheduled when the key has no hash tag); a time that has passed adds it at once.",
              javaType = "Object")
    public static final String DELIVER_AT = "CamelRedisStreamsDeliverAt";

    @Metadata(label = "producer",
              description = "Deliver the entry after this delay, not before: a duration such as 30s, 15m, 1h, PT1H or "
                            + "milliseconds. Not together with CamelRedisStreamsDeliverAt.",
              javaType = "Object")
    public static final String DELAY = "CamelRedisStreamsDelay";

    private RedisStreamsConstants() {
    }
}
