package io.streamroutes.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamroutes.component.redisstreams.RedisStreamsComponent;
import io.streamroutes.component.redisstreams.RedisStreamsConfiguration;
import io.streamroutes.testsupport.EmbeddedRedisExtension;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.jedis.JedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * The user-lookup factory is the redis-streams component's connection factory as the component is configured when the
 * first lookup runs: a {@code connectionFactory} given to the component is used and left to its owner; the one the
 * component makes from its options is destroyed when the component stops.
 */
class UserProfileRedisTest {

    @RegisterExtension
    static final EmbeddedRedisExtension redis = new EmbeddedRedisExtension();

    private static RedisStreamsComponent component(CamelContext context) {
        RedisStreamsComponent component = new RedisStreamsComponent();
        context.addComponent("redis-streams", component);
        return component;
    }

    private static UserProfileRedis lookups(CamelContext context) {
        UserProfileRedis lookups = new UserProfileRedis();
        lookups.setCamelContext(context);
        return lookups;
    }

    @Test
    void usesTheComponentsSettingsAsTheyAreAtTheFirstLookupAndTheComponentDestroysItsFactory() throws Exception {
        try (CamelContext context = new DefaultCamelContext()) {
            RedisStreamsComponent component = component(context);
            // made before the component is configured, as the YAML DSL does while pre-parsing the route files
            UserProfileRedis lookups = lookups(context);
            component.getConfiguration().setHost(redis.host());
            component.getConfiguration().setPort(redis.port());
            context.start();
            redis.newJedis().hset("user:7", "email", "carol@example.com");

            assertEquals("carol@example.com", new StringRedisTemplate(lookups).opsForHash().get("user:7", "email"));
            JedisConnectionFactory own = (JedisConnectionFactory) lookups.target();
            assertTrue(own == component.connectionFactory(), "the component's own factory, shared with its endpoints");
            assertTrue(own.isRunning());
            context.stop();
            assertFalse(own.isRunning(), "the component destroys the factory it made when it stops");
        }
    }

    @Test
    void reusesTheComponentsConnectionFactoryAndLeavesItRunning() throws Exception {
        RedisStreamsConfiguration settings = new RedisStreamsConfiguration();
        settings.setHost(redis.host());
        settings.setPort(redis.port());
        JedisConnectionFactory supplied = RedisStreamsComponent.createFactory(settings);
        try (CamelContext context = new DefaultCamelContext()) {
            RedisStreamsComponent component = component(context);
            component.getConfiguration().setConnectionFactory(supplied);
            // host/port point nowhere: only the supplied factory reaches the server
            component.getConfiguration().setPort(1);
            UserProfileRedis lookups = lookups(context);
            context.start();

            try (RedisConnection connection = lookups.getConnection()) {
                assertEquals("PONG", connection.ping());
            }
            assertTrue(lookups.target() == supplied, "the component's connectionFactory is the one used");
            context.stop();
            assertTrue(supplied.isRunning(), "a connectionFactory given to the component is left to its owner");
        } finally {
            supplied.destroy();
        }
    }
}
