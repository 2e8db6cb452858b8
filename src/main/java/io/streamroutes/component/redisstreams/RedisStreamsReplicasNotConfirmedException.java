package io.streamroutes.component.redisstreams;

/**
 * Fewer replicas than {@code waitReplicas} confirmed a write within {@code waitTimeout}: the write is on the primary but
 * a failover may lose it, so the exchange fails and the caller retries (a retry may add a duplicate, never lose one).
 */
public class RedisStreamsReplicasNotConfirmedException extends RuntimeException {

    public RedisStreamsReplicasNotConfirmedException(String message) {
        super(message);
    }
}
