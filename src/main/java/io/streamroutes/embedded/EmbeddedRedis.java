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

import org.apache.camel.util.FileUtil;
import redis.embedded.RedisServer;

/**
 * A real Redis server (the 6.2 binary shipped by the embedded-redis Maven artifact) on a free loopback port, for the
 * demo and the tests. It can be stopped and started again on the same port, with its data kept when AOF is on.
 * <p>
 * Each server has a fresh data directory of its own, deleted by {@link #close()}: the process runs in its binary's
 * directory, so without one a replica's full sync would write {@code dump.rdb} there (e.g. {@code /usr/bin}) and every
 * later server started from that binary would load it, replication id included, and keep a replication backlog that
 * every write is copied into.
 */
public final class EmbeddedRedis implements AutoCloseable {

    /** Path of another redis-server binary to run instead of the shipped 6.2 one (e.g. Debian's Redis 7). */
    public static final String SERVER_BINARY_PROPERTY = "redis.server";

    private final int port;
    private final Path dir;
    private final List<String> settings;
    private RedisServer server;

    private EmbeddedRedis(int port, Path dir, List<String> settings) {
        this.port = port;
        this.dir = dir;
        this.settings = settings;
    }

    /** A server without persistence. */
    public static EmbeddedRedis start() {
        return start(false);
    }

    /** A server; with {@code aof}, every write is fsynced to an append-only file so a restart loses nothing. */
    public static EmbeddedRedis start(boolean aof, String... extraSettings) {
        Path dir;
        try {
            dir = Files.createTempDirectory("embedded-redis");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> settings = new ArrayList<>();
        settings.add("bind 127.0.0.1");
        settings.add("dir " + dir);
        settings.add("save \"\"");
        if (aof) {
            settings.add("appendonly yes");
            settings.add("appendfsync always");
        } else {
            settings.add("appendonly no");
        }
        settings.addAll(List.of(extraSettings));
        EmbeddedRedis redis = new EmbeddedRedis(freePort(), dir, settings);
        try {
            redis.startServer();
        } catch (RuntimeException e) {
            FileUtil.removeDir(dir.toFile());
            throw e;
        }
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

    /** Stops the server and deletes its data directory. */
    @Override
    public void close() {
        try {
            stopServer();
        } finally {
            FileUtil.removeDir(dir.toFile());
        }
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
