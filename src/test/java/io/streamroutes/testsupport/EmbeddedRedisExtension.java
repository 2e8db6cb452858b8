package io.streamroutes.testsupport;

import io.streamroutes.embedded.EmbeddedRedis;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import redis.clients.jedis.Jedis;

/**
 * One real Redis server per test class: {@code @RegisterExtension static EmbeddedRedisExtension redis = new
 * EmbeddedRedisExtension();}, started before the first test and stopped after the last.
 */
public final class EmbeddedRedisExtension implements BeforeAllCallback, AfterAllCallback {

    private EmbeddedRedis server;

    @Override
    public void beforeAll(ExtensionContext context) {
        server = EmbeddedRedis.start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (server != null) {
            server.close();
        }
    }

    public String host() {
        return server.host();
    }

    public int port() {
        return server.port();
    }

    /** A client on the server; the caller closes it. */
    public Jedis newJedis() {
        return new Jedis(server.host(), server.port());
    }
}
