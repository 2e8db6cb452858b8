package io.streamroutes.notify;

import org.springframework.data.redis.connection.RedisPassword;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.jedis.JedisConnectionFactory;

/**
 * The connection the notifications route reads user hashes ({@code user:<id>}) with, through camel-spring-redis.
 * It is built from the same settings as the redis-streams component, so both always talk to the same server.
 */
public final class UserProfileRedis {

    private UserProfileRedis() {
    }

    public static JedisConnectionFactory connectionFactory(String host, int port, String username, String password) {
        RedisStandaloneConfiguration server = new RedisStandaloneConfiguration(host, port);
        if (username != null && !username.isEmpty()) {
            server.setUsername(username);
        }
        if (password != null && !password.isEmpty()) {
            server.setPassword(RedisPassword.of(password));
        }
        JedisConnectionFactory factory = new JedisConnectionFactory(server);
        factory.afterPropertiesSet();
        factory.start();
        return factory;
    }
}
