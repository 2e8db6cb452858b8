package io.streamroutes.component.redisstreams;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dead-letter move of a group consumer: XACK plus XADD to the dead-letter stream in one script (bounded by
 * {@code deadLetterMaxLen}), then, with {@code waitReplicas}, WAIT for the replicas. The ack and the dead letter
 * replicate together, so a move lost in a failover leaves the entry pending on the new primary (retried, not lost):
 * an unconfirmed move is therefore reported, not undone.
 */
final class DeadLetterMove {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterMove.class);

    private DeadLetterMove() {
    }

    /** Moves the entry; false when it was no longer pending (acked elsewhere), so nothing was written. */
    static boolean move(RedisStreamsClient client, RedisStreamsConfiguration config, String key, DeadLetter deadLetter) {
        boolean moved = client.ackAndDeadLetter(key, config.getGroup(), deadLetter.id(), config.getDeadLetterStream(),
                config.getDeadLetterMaxLen(), deadLetter.fieldsAndValues());
        if (moved) {
            try {
                ReplicaWait.of(config).confirm(client, key, "Dead-letter move of entry " + deadLetter.id());
            } catch (RedisStreamsReplicasNotConfirmedException e) {
                LOG.warn("{} (should it be lost, the entry is pending again on the new primary and is retried)", e.getMessage());
            }
        }
        return moved;
    }
}
