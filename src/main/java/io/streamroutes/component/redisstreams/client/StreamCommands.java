package io.streamroutes.component.redisstreams.client;

import java.util.Collection;
import java.util.List;
import java.util.Map;

import io.streamroutes.component.redisstreams.RedisStreamsConfiguration;

/**
 * The Redis commands a stream reader's parts send, so that those parts can be exercised without a server.
 * {@link RedisStreamsClient} implements it over one connection; a caller uses it from one thread at a time.
 */
public interface StreamCommands extends AutoCloseable {

    /** XGROUP CREATE key group startId MKSTREAM; false when the group already existed. */
    boolean createGroup(String key, String group, String startId);

    /** XGROUP CREATECONSUMER. */
    void createConsumer(String key, String group, String consumer);

    /** The id of the stream's last entry, or "0-0". */
    String lastId(String key);

    /** XREAD COUNT n [BLOCK ms] STREAMS key id. */
    List<StreamEntry> read(String key, int count, long blockMs, String id);

    /** XACK of {@code ackIds} (if any) and XREADGROUP, in one round trip where the connection can pipeline. */
    RedisStreamsClient.AckedRead ackThenReadGroup(String key, String group, Collection<String> ackIds, String consumer, int count,
                                                  long blockMs, String id);

    /** True when {@link #ackThenReadGroup} goes in one round trip (standalone and Sentinel, not a Cluster). */
    boolean canPipeline();

    long ack(String key, String group, Collection<String> ids);

    AutoClaimResult autoClaim(String key, String group, String consumer, long minIdleMs, String cursor, int count);

    long deliveryCount(String key, String group, String id);

    List<String> pendingIds(String key, String group, String consumer, int count);

    List<String> pendingIds(String key, String group, String consumer, String fromId, String toId, int count);

    List<RedisStreamsClient.PendingEntry> pendingOf(String key, String group, String consumer, String afterId, int count);

    RedisStreamsClient.RetryClaim claimForRetry(String key, String group, String consumer, Map<String, Long> retryCounts);

    boolean exists(String key, String id);

    /** Makes the entries claimable at once by other consumers, as first deliveries. */
    void release(String key, String group, String consumer, List<String> ids, long idleMs);

    /** Acks the entry and adds it to the dead-letter stream; false when it was no longer pending. */
    boolean moveToDeadLetter(RedisStreamsConfiguration config, String key, DeadLetter deadLetter);

    @Override
    void close();
}
