package io.streamroutes.component.redisstreams;

import io.streamroutes.component.redisstreams.client.ScheduledEntries;
import java.time.Instant;
import java.util.function.Function;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;

import io.streamroutes.component.redisstreams.client.DeadLetterStream;
import io.streamroutes.component.redisstreams.client.PendingSummary;
import io.streamroutes.component.redisstreams.client.RedisStreamsClient;
import io.streamroutes.component.redisstreams.client.StreamGroup;
import io.streamroutes.component.redisstreams.client.StreamGroupInfo;
import org.apache.camel.api.management.ManagedAttribute;
import org.apache.camel.api.management.ManagedOperation;
import org.apache.camel.api.management.ManagedResource;

/**
 * The JMX view of one consumer endpoint, {@code io.streamroutes:type=stream,key="<key>",group="<group>"}: stream and
 * group figures read from Redis on demand, the consumer's counters, and dead-letter operations.
 */
@ManagedResource(description = "Redis stream consumer")
public class ManagedRedisStreamsConsumer {

    public static final String DOMAIN = "io.streamroutes";

    private final RedisStreamsConsumer consumer;
    private final RedisStreamsEndpoint endpoint;

    public ManagedRedisStreamsConsumer(RedisStreamsConsumer consumer) {
        this.consumer = consumer;
        this.endpoint = consumer.getEndpoint();
    }

    /** {@code io.streamroutes:type=stream,key="notify:events",group="notify-workers"} (values quoted: keys contain colons). */
    public static ObjectName objectName(String key, String group) throws MalformedObjectNameException {
        return new ObjectName(DOMAIN + ":type=stream,key=" + ObjectName.quote(key) + ",group="
                              + ObjectName.quote(group == null ? "" : group));
    }

    private <T> T withGroup(Function<StreamGroupInfo, T> query) {
        try (RedisStreamsClient client = endpoint.newClient()) {
            return query.apply(new StreamGroupInfo(client, new StreamGroup(endpoint.getStreamKey(), endpoint.getConfiguration().getGroup())));
        }
    }

    private <T> T withDeadLetters(Function<DeadLetterStream, T> operation) {
        String dl = endpoint.getConfiguration().getDeadLetterStream();
        if (dl == null) {
            throw new IllegalStateException("No deadLetterStream is configured for stream '" + endpoint.getStreamKey() + "'");
        }
        try (RedisStreamsClient client = endpoint.newClient()) {
            return operation.apply(new DeadLetterStream(client, dl));
        }
    }

    @ManagedAttribute(description = "Stream key")
    public String getStreamKey() {
        return endpoint.getStreamKey();
    }

    @ManagedAttribute(description = "Consumer group (empty for a plain reader)")
    public String getGroup() {
        return endpoint.getConfiguration().getGroup();
    }

    @ManagedAttribute(description = "Consumer names of this endpoint's reading threads")
    public String getConsumerNames() {
        return String.join(",", consumer.getConsumerNames());
    }

    @ManagedAttribute(description = "Entries in the stream (XLEN)")
    public long getStreamLength() {
        return withGroup(StreamGroupInfo::streamLength);
    }

    @ManagedAttribute(description = "Entries not yet delivered to the group")
    public long getGroupLag() {
        return endpoint.getConfiguration().getGroup() == null ? -1 : withGroup(StreamGroupInfo::groupLag);
    }

    @ManagedAttribute(description = "Entries delivered to the group and not acknowledged (all consumers)")
    public long getPendingCount() {
        return endpoint.getConfiguration().getGroup() == null ? 0 : withGroup(StreamGroupInfo::pendingCount);
    }

    @ManagedAttribute(description = "Idle time in ms of the oldest pending entry")
    public long getOldestPendingIdleMillis() {
        return endpoint.getConfiguration().getGroup() == null ? 0 : withGroup(StreamGroupInfo::oldestPendingIdleMillis);
    }

    @ManagedAttribute(description = "Age in ms of the oldest pending entry (now minus the time in its id), 0 when none is pending")
    public long getOldestPendingAgeMillis() {
        return pendingSummary().oldestAgeMillis(consumer.getClock().millis());
    }

    /** XPENDING's summary (one command): the pending count and the oldest pending id; none without a group. */
    PendingSummary pendingSummary() {
        return endpoint.getConfiguration().getGroup() == null ? PendingSummary.NONE : withGroup(StreamGroupInfo::pendingSummary);
    }

    @ManagedAttribute(description = "Consumers known to the group (XINFO CONSUMERS)")
    public int getConsumerCount() {
        return endpoint.getConfiguration().getGroup() == null ? 0 : withGroup(StreamGroupInfo::consumerCount);
    }

    @ManagedAttribute(description = "Entries handed to the route by this endpoint")
    public long getDelivered() {
        return consumer.getStatistics().getDelivered();
    }

    @ManagedAttribute(description = "Entries acknowledged by this endpoint")
    public long getAcked() {
        return consumer.getStatistics().getAcked();
    }

    @ManagedAttribute(description = "Exchanges that failed")
    public long getFailed() {
        return consumer.getStatistics().getFailed();
    }

    @ManagedAttribute(description = "Entries taken over with XAUTOCLAIM")
    public long getClaimed() {
        return consumer.getStatistics().getClaimed();
    }

    @ManagedAttribute(description = "Entries moved to the dead-letter stream")
    public long getDeadLettered() {
        return consumer.getStatistics().getDeadLettered();
    }

    @ManagedAttribute(description = "Entries that failed and wait for their next delivery (retry schedule or Retry-After)")
    public int getRetryWaiting() {
        return consumer.getRetryWaiting();
    }

    @ManagedAttribute(description = "Entries waiting for a slot of their concurrencyKey (maxConcurrencyPerKey), 0 without a per-key limit")
    public int getKeyWaiting() {
        return consumer.getKeyWaiting();
    }

    @ManagedAttribute(description = "When the next waiting entry is due (ISO-8601 UTC), empty when none waits")
    public String getNextRetryAt() {
        return isoOrEmpty(consumer.getNextRetryAtMillis());
    }

    @ManagedAttribute(description = "Until when a route paused this consumer (Retry-After; ISO-8601 UTC), empty when not paused")
    public String getPausedUntil() {
        return isoOrEmpty(consumer.getPausedUntilMillis());
    }

    @ManagedAttribute(description = "Why the consumer is paused, empty when it is not")
    public String getPauseReason() {
        String reason = consumer.getPauseReason();
        return reason != null ? reason : "";
    }

    @ManagedAttribute(description = "Entries scheduled for later delivery to this stream (ZCARD of its :scheduled set)")
    public long getScheduledCount() {
        return scheduled().count();
    }

    @ManagedAttribute(description = "When the next scheduled entry is due (ISO-8601 UTC), empty when none is scheduled")
    public String getNextScheduledAt() {
        return isoOrEmpty(scheduled().nextDueAtMillis());
    }

    ScheduledEntries.Figures scheduled() {
        try (RedisStreamsClient client = endpoint.newClient()) {
            return ScheduledEntries.figures(client, endpoint.getStreamKey());
        }
    }

    private static String isoOrEmpty(long epochMillis) {
        return epochMillis > 0 ? Instant.ofEpochMilli(epochMillis).toString() : "";
    }

    @ManagedAttribute(description = "Last processing error, or last Redis problem")
    public String getLastError() {
        String problem = consumer.getProblem();
        return problem != null ? problem : consumer.getStatistics().getLastError();
    }

    @ManagedAttribute(description = "Dead-letter stream key (empty when none)")
    public String getDeadLetterStream() {
        return endpoint.getConfiguration().getDeadLetterStream();
    }

    @ManagedAttribute(description = "Entries in the dead-letter stream (-1 when none is configured)")
    public long getDeadLetterLength() {
        return endpoint.getConfiguration().getDeadLetterStream() == null ? -1 : withDeadLetters(DeadLetterStream::length);
    }

    @ManagedOperation(description = "The oldest dead letters, one line each")
    public String[] listDeadLetters(int max) {
        return withDeadLetters(d -> d.list(Math.max(1, max)).stream().map(DeadLetterStream::describe).toArray(String[]::new));
    }

    @ManagedOperation(description = "Put a dead letter back on its source stream (without x- fields); returns the new id")
    public String requeueDeadLetter(String id) {
        return withDeadLetters(d -> d.requeue(id));
    }

    @ManagedOperation(description = "Put every dead letter back on its source stream; returns how many")
    public int requeueAllDeadLetters() {
        return withDeadLetters(DeadLetterStream::requeueAll);
    }

    @ManagedOperation(description = "Delete all dead letters; returns how many there were")
    public long purgeDeadLetters() {
        return withDeadLetters(DeadLetterStream::purge);
    }
}
