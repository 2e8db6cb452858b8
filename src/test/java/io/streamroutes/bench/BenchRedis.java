package io.streamroutes.bench;

import java.io.File;

import io.streamroutes.embedded.EmbeddedRedis;
import redis.clients.jedis.Jedis;

/**
 * The benchmark's own Redis on a free port: {@code redis-server} from PATH when there is one (typically Redis 7),
 * otherwise the 6.2 binary shipped with embedded-redis. {@code -Dredis.server=/path} picks a binary explicitly.
 */
final class BenchRedis implements AutoCloseable {

    private final EmbeddedRedis server;
    private final String description;

    private BenchRedis(EmbeddedRedis server, String description) {
        this.server = server;
        this.description = description;
    }

    static BenchRedis start() {
        String origin;
        String chosen = System.getProperty(EmbeddedRedis.SERVER_BINARY_PROPERTY);
        if (chosen != null && !chosen.isBlank()) {
            origin = chosen + " (-D" + EmbeddedRedis.SERVER_BINARY_PROPERTY + ")";
        } else {
            File onPath = findOnPath("redis-server");
            if (onPath != null) {
                System.setProperty(EmbeddedRedis.SERVER_BINARY_PROPERTY, onPath.getPath());
                origin = onPath.getPath() + " (from PATH)";
            } else {
                origin = "embedded-redis binary (no redis-server on PATH)";
            }
        }
        EmbeddedRedis server = EmbeddedRedis.start();
        try (Jedis jedis = new Jedis(server.host(), server.port())) {
            return new BenchRedis(server, "Redis " + infoField(jedis.info("server"), "redis_version") + ", " + origin);
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
    }

    private static File findOnPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(File.pathSeparator)) {
            File candidate = new File(dir, name);
            if (candidate.isFile() && candidate.canExecute()) {
                return candidate;
            }
        }
        return null;
    }

    static String infoField(String info, String field) {
        for (String line : info.split("\r?\n")) {
            if (line.startsWith(field + ":")) {
                return line.substring(field.length() + 1).trim();
            }
        }
        return "?";
    }

    String host() {
        return server.host();
    }

    int port() {
        return server.port();
    }

    Jedis newJedis() {
        return new Jedis(host(), port());
    }

    /** Version and which binary. */
    String description() {
        return description;
    }

    @Override
    public void close() {
        server.close();
    }
}
