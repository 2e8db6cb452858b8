package io.streamroutes.testsupport;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import io.streamroutes.embedded.EmbeddedRedis;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import redis.clients.jedis.Jedis;

/**
 * One real Redis server per test class: {@code @RegisterExtension static EmbeddedRedisExtension redis = new
 * EmbeddedRedisExtension();}, started before the first test and stopped after the last. A class annotated
 * {@link AppendOnlyFile} gets a server that fsyncs every write, so {@link #stopServer()}/{@link #startServer()} lose
 * nothing.
 */
public final class EmbeddedRedisExtension implements BeforeAllCallback, AfterAllCallback {

    /** The test class needs its Redis to keep its data across a restart. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.TYPE)
    @Inherited
    public @interface AppendOnlyFile {
    }

    private EmbeddedRedis server;

    @Override
    public void beforeAll(ExtensionContext context) {
        server = EmbeddedRedis.start(context.getRequiredTestClass().isAnnotationPresent(AppendOnlyFile.class));
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (server != null) {
            server.close();
            server = null;
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

    /** Stops the server, keeping its port, to simulate an outage. */
    public void stopServer() {
        server.stopServer();
    }

    /** Starts the server again on the same port. */
    public void startServer() {
        server.startServer();
    }
}
