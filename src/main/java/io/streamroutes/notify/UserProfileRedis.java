package io.streamroutes.notify;

import io.streamroutes.component.redisstreams.RedisStreamsComponent;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.connection.RedisClusterConnection;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.RedisSentinelConnection;
import org.springframework.data.redis.connection.jedis.JedisConnectionFactory;

/**
 * The connection factory the notifications route reads user hashes ({@code user:<id>}) with, through
 * camel-spring-redis: the {@code redis-streams} component's own connection settings as camel-main configured them
 * (standalone, Sentinel, Cluster, credentials, database, timeout, TLS with its trust store or SSLContextParameters),
 * so the lookups always reach the server the routes read from, the same way.
 * <p>
 * The YAML DSL creates its beans while it pre-parses the route files, before camel-main has applied
 * {@code camel.component.redis-streams.*}: so the real factory is only chosen on the first connection. When the
 * component is given a {@code connectionFactory}, that one is used (and left to its owner); otherwise one of its own
 * is made with the component's factory code, and {@link #destroy()} destroys it.
 */
public class UserProfileRedis implements RedisConnectionFactory, CamelContextAware {

    private CamelContext camelContext;
    private RedisConnectionFactory factory;
    private JedisConnectionFactory owned;

    /** The factory the lookups go through, chosen on first use. */
    synchronized RedisConnectionFactory target() {
        if (factory == null) {
            if (camelContext == null) {
                throw new IllegalStateException("UserProfileRedis needs the CamelContext (bind it as a bean of the context)");
            }
            RedisStreamsComponent component = camelContext.getComponent("redis-streams", RedisStreamsComponent.class);
            RedisConnectionFactory supplied = component.getConfiguration().getConnectionFactory();
            if (supplied != null) {
                factory = supplied;
            } else {
                owned = component.newConnectionFactory();
                factory = owned;
            }
        }
        return factory;
    }

    /** Destroys the factory made here (a {@code connectionFactory} given to the component is not touched). */
    public synchronized void destroy() {
        if (owned != null) {
            owned.destroy();
            owned = null;
        }
        factory = null;
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
