package io.streamroutes.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import redis.embedded.RedisServer;

/**
 * A real Redis server (the 6.2 binary shipped by the embedded-redis Maven artifact) on a free loopback port, for the
 * demo and the tests. It can be stopped and started again on the same port, with its data kept when AOF is on.
 */
public final class EmbeddedRedis implements AutoCloseable {

    /** Path of another redis-server binary to run instead of the shipped 6.2 one (e.g. Debian's Redis 7). */
    public static final String SERVER_BINARY_PROPERTY = "redis.server";

    private final int port;
    private final List<String> settings;
    private RedisServer server;

    private EmbeddedRedis(int port, List<String> settings) {
        this.port = port;
        this.settings = settings;
    }

    /** A server without persistence. */
    public static EmbeddedRedis start() {
        return start(false);
    }

    /** A server; with {@code aof}, every write is fsynced to an append-only file so a restart loses nothing. */
    public static EmbeddedRedis start(boolean aof, String... extraSettings) {
        List<String> settings = new ArrayList<>();
        settings.add("bind 127.0.0.1");
        settings.add("save \"\"");
        if (aof) {
            try {
                Path dir = Files.createTempDirectory("embedded-redis");
                dir.toFile().deleteOnExit();
                settings.add("dir " + dir);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            settings.add("appendonly yes");
            settings.add("appendfsync always");
        } else {
            settings.add("appendonly no");
        }
        settings.addAll(List.of(extraSettings));
        EmbeddedRedis redis = new EmbeddedRedis(freePort(), settings);
        redis.startServer();
        return redis;
    }

    public int port() {
        return port;
    }

    public String host() {
        return "127.0.0.1";
    }

    /** Starts the server (again) on its port. */
    public synchronized void startServer() {
        try {
            var builder = RedisServer.newRedisServer().port(port);
            String binary = System.getProperty(SERVER_BINARY_PROPERTY);
            if (binary != null && !binary.isBlank()) {
                builder.executableProvider(() -> new java.io.File(binary));
            }
            settings.forEach(builder::setting);
            server = builder.build();
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start embedded Redis on port " + port, e);
        }
        waitUntil(true);
    }

    /** Stops the server; a following {@link #startServer()} restarts it on the same port. */
    public synchronized void stopServer() {
        if (server != null) {
            try {
                server.stop();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            server = null;
            waitUntil(false);
        }
    }

    @Override
    public void close() {
        stopServer();
    }

    private void waitUntil(boolean listening) {
        long deadline = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < deadline) {
            if (isListening() == listening) {
                return;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        throw new IllegalStateException("Embedded Redis on port " + port + " did not " + (listening ? "start" : "stop"));
    }

    private boolean isListening() {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** A port that was free a moment ago on the loopback interface. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
