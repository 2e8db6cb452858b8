package io.streamroutes.component.redisstreams;

import java.time.Duration;

/**
 * Fewer replicas than {@code waitReplicas} confirmed a write within {@code waitTimeout}: the write is on the primary but
 * a failover may lose it. An outage of the infrastructure, not a fault of the entry: a {@code redis-streams} consumer
 * treats it as a Retry-After of {@link #RETRY_DELAY} (the entry is kept without using up a delivery, the consumer hands
 * out nothing new meanwhile and reports readiness DOWN), and the retried write is confirmed with WAIT again rather
 * than written again ({@link UnconfirmedWrites}).
 */
public class RedisStreamsReplicasNotConfirmedException extends RedisStreamsRetryAfterException {

    private static final long serialVersionUID = 1L;

    /** How long a consumer waits before it tries an entry whose write the replicas did not confirm again. */
    public static final Duration RETRY_DELAY = Duration.ofSeconds(1);

    public RedisStreamsReplicasNotConfirmedException(String message) {
        super(message, RETRY_DELAY);
    }
}
