package io.streamroutes.component.redisstreams.client;

import java.util.function.Consumer;

import io.streamroutes.component.redisstreams.RedisStreamsComponent;
import io.streamroutes.component.redisstreams.RedisStreamsConfiguration;
import io.streamroutes.embedded.EmbeddedRedis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.jedis.JedisConnectionFactory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link RedisErrors} on what a real Redis answers through Spring Data Redis and Jedis, as the component connects: the
 * embedded 6.2 server, or another one given by {@code -Dredis.server=/usr/bin/redis-server} (Debian's 7).
 */
class RedisErrorsOnRedisTest {

    private static final String PASSWORD = "S3cret-for-errors-test";
    private static EmbeddedRedis withPassword;
    private static EmbeddedRedis withoutPassword;

    @BeforeAll
    static void start() {
        withPassword = EmbeddedRedis.start(false, "requirepass " + PASSWORD);
        withoutPassword = EmbeddedRedis.start();
    }

    @AfterAll
    static void stop() {
        if (withPassword != null) {
            withPassword.close();
        }
        if (withoutPassword != null) {
            withoutPassword.close();
        }
    }

    /** What a command on a client with these connection options throws. */
    private static RuntimeException failure(EmbeddedRedis redis, String password, Consumer<RedisStreamsClient> command) {
        RedisStreamsConfiguration config = new RedisStreamsConfiguration();
        config.setHost(redis.host());
        config.setPort(redis.port());
        config.setPassword(password);
        JedisConnectionFactory factory = RedisStreamsComponent.createFactory(config);
        try {
            return assertThrows(RuntimeException.class, () -> {
                try (RedisStreamsClient client = new RedisStreamsClient(factory)) {
                    command.accept(client);
                }
            });
        } finally {
            factory.destroy();
        }
    }

    @Test
    void rejectedCredentialsAreAuthFailures() {
        RuntimeException wrong = failure(withPassword, "wrong", client -> client.type("k"));
        assertTrue(RedisErrors.isAuthFailure(wrong), RedisErrors.describe(wrong));
        assertEquals("AUTH", RedisErrors.kind(wrong));
        RuntimeException none = failure(withPassword, null, client -> client.type("k"));
        assertTrue(RedisErrors.isAuthFailure(none), RedisErrors.describe(none));
        assertFalse(RedisErrors.isConnectionFailure(none), "NOAUTH is answered on a working connection");
        RuntimeException unexpected = failure(withoutPassword, "given-but-not-configured", client -> client.type("k"));
        assertTrue(RedisErrors.isAuthFailure(unexpected), RedisErrors.describe(unexpected));
    }

    @Test
    void errorCodesOfStreamCommands() {
        RuntimeException noGroup = failure(withoutPassword, null, client -> {
            client.add("errors:stream", 0, java.util.List.of(StreamReplies.bytes("f"), StreamReplies.bytes("v")));
            client.readGroup(new StreamGroup("errors:stream", "missing").consumer("c"), 1, 0, ">");
        });
        assertEquals("NOGROUP", RedisErrors.kind(noGroup), RedisErrors.describe(noGroup));
        // inside a script: Redis 6 wraps the error in its own ERR, Redis 7 keeps the code first
        RuntimeException noGroupInScript = failure(withoutPassword, null,
                client -> client.claimForRetry(new StreamGroup("errors:stream", "missing").consumer("c"), java.util.Map.of("1-0", -1L)));
        assertEquals("NOGROUP", RedisErrors.kind(noGroupInScript), RedisErrors.describe(noGroupInScript));
        RuntimeException wrongType = failure(withoutPassword, null, client -> {
            client.exec("errors:string", "SET", StreamReplies.bytes("errors:string"), StreamReplies.bytes("x"));
            client.read("errors:string", 1, 0, "0");
        });
        assertEquals("WRONGTYPE", RedisErrors.kind(wrongType), RedisErrors.describe(wrongType));
        assertFalse(RedisErrors.isConnectionFailure(wrongType));
    }

    @Test
    void aStoppedServerIsAConnectionFailure() {
        EmbeddedRedis stopped = EmbeddedRedis.start();
        stopped.close();
        RuntimeException refused = failure(stopped, null, client -> client.type("k"));
        assertTrue(RedisErrors.isConnectionFailure(refused), RedisErrors.describe(refused));
        assertEquals("CONNECTION", RedisErrors.kind(refused));
    }
}
