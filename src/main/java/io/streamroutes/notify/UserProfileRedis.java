package io.streamroutes.notify;

import io.streamroutes.component.redisstreams.RedisStreamsComponent;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.connection.RedisClusterConnection;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.RedisSentinelConnection;

/**
 * The connection factory the notifications route reads user hashes ({@code user:<id>}) with, through
 * camel-spring-redis: the {@code redis-streams} component's {@link RedisStreamsComponent#connectionFactory()}, so the
 * lookups reach the server the routes read from, the same way (standalone, Sentinel, Cluster, credentials, database,
 * timeout, TLS, or the component's {@code connectionFactory}), and the component closes it when it stops.
 * <p>
 * The YAML DSL creates its beans while it pre-parses the route files, before camel-main has applied
 * {@code camel.component.redis-streams.*}: so each call asks the component then, not when this bean is made.
 */
public class UserProfileRedis implements RedisConnectionFactory, CamelContextAware {

    private CamelContext camelContext;

    /** The component's connection factory, as the component is configured now. */
    RedisConnectionFactory target() {
        if (camelContext == null) {
            throw new IllegalStateException("UserProfileRedis needs the CamelContext (bind it as a bean of the context)");
        }
        return RedisStreamsComponent.of(camelContext).connectionFactory();
    }

    @Override
    public RedisConnection getConnection() {
        return target().getConnection();
    }

    @Override
    public RedisClusterConnection getClusterConnection() {
        return target().getClusterConnection();
    }

    @Override
    public boolean getConvertPipelineAndTxResults() {
        return target().getConvertPipelineAndTxResults();
    }

    @Override
    public RedisSentinelConnection getSentinelConnection() {
        return target().getSentinelConnection();
    }

    @Override
    public DataAccessException translateExceptionIfPossible(RuntimeException ex) {
        return target().translateExceptionIfPossible(ex);
    }

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
    }
}
