package io.streamroutes.notify;

import io.streamroutes.component.redisstreams.RedisStreamsComponent;
import io.streamroutes.component.redisstreams.RedisStreamsConfiguration;
import org.springframework.data.redis.connection.jedis.JedisConnectionFactory;

/**
 * The connection the notifications route reads user hashes ({@code user:<id>}) with, through camel-spring-redis.
 * It is built by the redis-streams component from the same settings, so both always talk to the same server the
 * same way (credentials, database, TLS).
 */
public final class UserProfileRedis {

    private UserProfileRedis() {
    }

    public static JedisConnectionFactory connectionFactory(String host, int port, String username, String password, int database,
                                                           boolean ssl) {
        RedisStreamsConfiguration config = new RedisStreamsConfiguration();
        config.setHost(host);
        config.setPort(port);
        config.setUsername(username);
        config.setPassword(password);
        config.setDatabase(database);
        config.setSsl(ssl);
        return RedisStreamsComponent.createFactory(config);
    }
}
