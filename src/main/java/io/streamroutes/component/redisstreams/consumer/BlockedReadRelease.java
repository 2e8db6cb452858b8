package io.streamroutes.component.redisstreams.consumer;

import java.util.function.Supplier;

import io.streamroutes.component.redisstreams.client.RedisErrors;
import io.streamroutes.component.redisstreams.client.RedisStreamsClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends a reader's blocking read when the consumer stops: {@code CLIENT UNBLOCK <id>} (Redis 5 and later) from another
 * connection makes a waiting XREADGROUP or XREAD return at once with nothing read, so a stop does not wait up to
 * {@code block} ms for it to time out. Where that cannot be done (Redis Cluster, an ACL user without
 * {@code client|id} or {@code client|unblock}) the stop waits for the read as before.
 */
final class BlockedReadRelease {

    private static final Logger LOG = LoggerFactory.getLogger(BlockedReadRelease.class);

    private final String label;
    /** Redis' id of the reader's connection (CLIENT ID); -1 when unknown. */
    private volatile long connectionId = -1;

    BlockedReadRelease(String label) {
        this.label = label;
    }

    /** On the reading thread, when it opened its connection. */
    void connected(RedisStreamsClient client) {
        connectionId = -1;
        if (client.isCluster()) {
            return; // the read's node is not the one another connection would reach
        }
        try {
            connectionId = (Long) client.exec(null, "CLIENT", RedisStreamsClient.bytes("ID"));
        } catch (RuntimeException e) {
            LOG.debug("{}: no CLIENT ID ({}); a stop waits for a blocking read to time out", label, RedisErrors.describe(e));
        }
    }

    void disconnected() {
        connectionId = -1;
    }

    /** From the stopping thread, after the reader was told to stop: ends the read it may be blocked in. */
    void release(Supplier<RedisStreamsClient> clients) {
        long id = connectionId;
        if (id < 0) {
            return;
        }
        try (RedisStreamsClient other = clients.get()) {
            other.exec(null, "CLIENT", RedisStreamsClient.bytes("UNBLOCK"), RedisStreamsClient.bytes(Long.toString(id)));
        } catch (RuntimeException e) {
            LOG.debug("{}: CLIENT UNBLOCK refused ({}); the stop waits for the blocking read to time out", label,
                    RedisErrors.describe(e));
        }
    }
}
