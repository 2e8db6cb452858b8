package io.streamroutes.component.redisstreams;

import java.util.Map;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Readiness of one redis-streams consumer: DOWN until its first successful read, and while Redis is unreachable or
 * its group is missing, and while it holds back entries whose writes the replicas do not confirm ({@code waitReplicas}).
 */
public class RedisStreamsConsumerHealthCheck extends AbstractHealthCheck {

    private final RedisStreamsConsumer consumer;

    public RedisStreamsConsumerHealthCheck(RedisStreamsConsumer consumer, String routeId) {
        super("camel", "consumer:redis-streams-" + routeId);
        this.consumer = consumer;
    }

    @Override
    public boolean isLiveness() {
        return false; // Redis being down is not a reason to restart the JVM
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        RedisStreamsEndpoint endpoint = consumer.getEndpoint();
        builder.detail("redis.stream", endpoint.getStreamKey());
        if (endpoint.getConfiguration().getGroup() != null) {
            builder.detail("redis.group", endpoint.getConfiguration().getGroup());
        }
        builder.detail("redis.consumers", String.join(",", consumer.getConsumerNames()));
        String replicasMissing = consumer.getReplicasMissing();
        if (consumer.isHealthy() && replicasMissing != null) {
            builder.message("redis-streams consumer of '" + endpoint.getStreamKey() + "' waits for replicas: " + replicasMissing);
            builder.detail("redis.replicas.missing", replicasMissing);
            builder.down();
        } else if (consumer.isHealthy()) {
            builder.up();
        } else {
            String problem = consumer.getProblem();
            builder.message("redis-streams consumer of '" + endpoint.getStreamKey() + "': "
                            + (problem != null ? problem : "not started"));
            Exception error = consumer.getLastError();
            if (error != null) {
                builder.error(error); // the exception itself, as Camel's consumers' checks carry it
            }
            builder.down();
        }
    }
}
