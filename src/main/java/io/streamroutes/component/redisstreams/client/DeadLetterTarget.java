package io.streamroutes.component.redisstreams.client;

/**
 * Where failed entries are moved: the dead-letter stream, its approximate MAXLEN (0: unbounded), and the replicas that
 * must confirm a move.
 */
public record DeadLetterTarget(String stream, long maxLen, ReplicaWait replicaWait) {
}
