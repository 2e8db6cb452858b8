package io.streamroutes.component.redisstreams.client;

import java.util.ArrayList;
import java.util.List;

import io.streamroutes.component.redisstreams.RedisStreamsReplicasNotConfirmedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * The dead-letter move of a group consumer: XACK plus XADD to the dead-letter stream in one script (bounded by
 * {@code deadLetterMaxLen}; on a Redis Cluster with the two keys in different slots, two steps), then, with {@code waitReplicas}, WAIT for the replicas. The ack and the dead letter
 * replicate together, so a move lost in a failover leaves the entry pending on the new primary (retried, not lost):
 * an unconfirmed move is therefore reported, not undone.
 */
public final class DeadLetterMove {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterMove.class);

    private final CommandChannel client;
    private final StreamWrites writes;
    private final StreamReads reads;

    DeadLetterMove(CommandChannel client, StreamWrites writes, StreamReads reads) {
        this.client = client;
        this.writes = writes;
        this.reads = reads;
    }

    /** Moves the entry; false when it was no longer pending (acked elsewhere), so nothing was kept. */
    boolean move(DeadLetterTarget target, StreamGroup from, DeadLetterEntry deadLetter) {
        String key = from.key();
        boolean moved = client.isCluster() && !sameSlot(key, target.stream())
                ? moveAcrossSlots(target, from, deadLetter)
                : ackAndDeadLetter(target, from, deadLetter);
        if (moved) {
            try {
                target.replicaWait().confirm(client, key, "Dead-letter move of entry " + deadLetter.id());
            } catch (RedisStreamsReplicasNotConfirmedException e) {
                LOG.warn("{} (should it be lost, the entry is pending again on the new primary and is retried)", e.getMessage());
            }
        }
        return moved;
    }

    /**
     * XACK of the entry and XADD to the dead-letter stream (MAXLEN ~ deadLetterMaxLen unless 0) in one script
     * ({@link StreamScripts#DEAD_LETTER_SCRIPT}); false when the entry was no longer pending.
     */
    private boolean ackAndDeadLetter(DeadLetterTarget target, StreamGroup from,
                                            DeadLetterEntry deadLetter) {
        List<byte[]> fieldsAndValues = deadLetter.fieldsAndValues();
        List<byte[]> args = new ArrayList<>(fieldsAndValues.size() + 5);
        args.add(StreamReplies.bytes(from.key()));
        args.add(StreamReplies.bytes(target.stream()));
        args.add(StreamReplies.bytes(from.group()));
        args.add(StreamReplies.bytes(deadLetter.id()));
        args.add(StreamReplies.bytes(Long.toString(target.maxLen())));
        args.addAll(fieldsAndValues);
        return ((Long) StreamScripts.DEAD_LETTER_SCRIPT.eval(client, 2, args)) == 1L;
    }

    public static boolean sameSlot(String key, String otherKey) {
        return JedisClusterCRC16.getSlot(key) == JedisClusterCRC16.getSlot(otherKey);
    }

    /**
     * On a Redis Cluster, with the dead-letter stream in another slot than the stream, no script can touch both: the
     * dead letter is written first and the entry acked after, so a failure in between leaves it pending (it may be
     * dead-lettered twice, never lost); if another consumer acked the entry meanwhile, the dead letter is deleted again.
     */
    private boolean moveAcrossSlots(DeadLetterTarget target, StreamGroup from,
                                           DeadLetterEntry deadLetter) {
        String stream = target.stream();
        String written = writes.add(stream, target.maxLen(), deadLetter.fieldsAndValues());
        if (reads.ack(from, List.of(deadLetter.id())) == 1) {
            return true;
        }
        client.exec(stream, "XDEL", StreamReplies.bytes(stream), StreamReplies.bytes(written));
        return false;
    }
}
