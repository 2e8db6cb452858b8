package io.streamroutes.component.redisstreams.client;

import java.util.Collection;
import java.util.List;
import java.util.Map;


/**
 * The Redis commands a stream reader's parts send, so that those parts can be exercised without a server.
 * {@link RedisStreamsClient} implements it over one connection; a caller uses it from one thread at a time.
 */
public interface StreamCommands extends AutoCloseable {

    /** XGROUP CREATE key group startId MKSTREAM; false when the group already existed. */
    boolean createGroup(StreamGroup streamGroup, String startId);

    /** XGROUP CREATECONSUMER. */
    void createConsumer(GroupConsumer consumer);

    /** The id of the stream's last entry, or "0-0". */
    String lastId(String key);

    /** XREAD COUNT n [BLOCK ms] STREAMS key id. */
    List<StreamEntry> read(String key, int count, long blockMs, String id);

    /** XACK of {@code ackIds} (if any) and XREADGROUP, in one round trip where the connection can pipeline. */
    RedisStreamsClient.AckedRead ackThenReadGroup(GroupConsumer consumer, Collection<String> ackIds, int count, long blockMs,
                                                  String id);

    /**
     * Sends XACK of {@code ackIds} (if any) and a non-blocking XREADGROUP COUNT n STREAMS key &gt; without waiting for
     * the replies, which {@link #receiveAckedRead} takes, oldest first. Only where {@link #canPipeline()}. Returns
     * whether an XACK was sent.
     */
    boolean sendAckThenReadGroup(GroupConsumer consumer, Collection<String> ackIds, int count);

    /** The replies of the oldest {@link #sendAckThenReadGroup} not yet received ({@code withAck}: as it returned). */
    RedisStreamsClient.AckedRead receiveAckedRead(boolean withAck);

    /** True when {@link #ackThenReadGroup} goes in one round trip (standalone and Sentinel, not a Cluster). */
    boolean canPipeline();

    long ack(StreamGroup from, Collection<String> ids);

    AutoClaimResult autoClaim(GroupConsumer consumer, long minIdleMs, String cursor, int count);

    long deliveryCount(StreamGroup from, String id);

    List<String> pendingIds(GroupConsumer consumer, int count);

    List<String> pendingIds(GroupConsumer consumer, String fromId, String toId, int count);

    List<RedisStreamsClient.PendingEntry> pendingOf(GroupConsumer consumer, String afterId, int count);

    RedisStreamsClient.RetryClaim claimForRetry(GroupConsumer consumer, Map<String, Long> retryCounts);

    boolean exists(String key, String id);

    /** Makes the entries claimable at once by other consumers, as first deliveries. */
    void release(GroupConsumer consumer, List<String> ids, long idleMs);

    /** Acks the entry and adds it to the dead-letter stream; false when it was no longer pending. */
    boolean moveToDeadLetter(DeadLetterTarget target, StreamGroup from, DeadLetterEntry deadLetter);

    /** Runs a script (EVALSHA, its text on NOSCRIPT) with text keys and arguments. */
    Object eval(LuaScript script, int keyCount, String... keysAndArgs);

    @Override
    void close();
}
