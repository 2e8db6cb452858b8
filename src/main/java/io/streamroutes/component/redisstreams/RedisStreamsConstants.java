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

    private RedisStreamsConstants() {
    }
}
