package io.streamroutes.component.redisstreams.client;

import io.streamroutes.component.redisstreams.RedisStreamsReplicasNotConfirmedException;

/**
 * Durable writes when asked: after a write, {@code WAIT} on the same connection until {@code waitReplicas} replicas
 * confirmed it, or {@code waitTimeout} passed. Redis replicates asynchronously, so a write only the primary confirmed
 * is lost when a replica that never received it is promoted.
 */
public final class ReplicaWait {

    private final int replicas;
    private final long timeoutMillis;

    public ReplicaWait(int replicas, long timeoutMillis) {
        this.replicas = replicas;
        this.timeoutMillis = timeoutMillis;
    }

    public boolean enabled() {
        return replicas > 0;
    }

    /**
     * Waits for the replicas to confirm the writes {@code client} sent so far; does nothing when off.
     *
     * @param what the write, for the error message
     * @throws RedisStreamsReplicasNotConfirmedException when fewer replicas confirmed in time
     */
    void confirm(CommandChannel client, String key, String what) {
        if (!enabled()) {
            return;
        }
        long confirmed = client.waitForReplicas(key, replicas, timeoutMillis);
        if (confirmed < replicas) {
            throw new RedisStreamsReplicasNotConfirmedException(what + " on stream '" + key + "' was confirmed by " + confirmed + " of " + replicas
                                                    + " replicas within " + timeoutMillis + " ms (waitReplicas/waitTimeout): it "
                                                    + "is on the primary but may be lost if the primary fails; retry it");
        }
    }
}
