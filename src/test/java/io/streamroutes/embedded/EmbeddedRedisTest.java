package io.streamroutes.embedded;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

import io.streamroutes.testsupport.RedisProcesses;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EmbeddedRedisTest {

    @TempDir
    Path bin;

    /**
     * The server runs in its binary's directory: a dump.rdb lying there (a replica's full sync writes one, with the
     * replication id) must neither be loaded nor written to.
     */
    @Test
    void aServerKeepsItsDataInADirectoryOfItsOwnNotNextToItsBinary() throws Exception {
        RedisProcesses.assumeInstalled("EmbeddedRedisTest");
        Files.createSymbolicLink(bin.resolve("redis-server"), Paths.get(RedisProcesses.SERVER));
        try (RedisProcesses processes = new RedisProcesses()) {
            int port = processes.startServer("--dir", bin.toString(), "--dbfilename", "dump.rdb");
            try (Jedis stray = new Jedis("127.0.0.1", port)) {
                stray.set("stray", "from the binary's directory");
                stray.save();
            }
        }
        assertTrue(Files.exists(bin.resolve("dump.rdb")));

        String previous = System.getProperty(EmbeddedRedis.SERVER_BINARY_PROPERTY);
        System.setProperty(EmbeddedRedis.SERVER_BINARY_PROPERTY, bin.resolve("redis-server").toString());
        Path dir;
        try (EmbeddedRedis redis = EmbeddedRedis.start(); Jedis jedis = new Jedis(redis.host(), redis.port())) {
            assertFalse(jedis.exists("stray"));
            String replication = jedis.info("replication");
            assertTrue(replication.contains("repl_backlog_active:0"), replication);
            dir = Paths.get(jedis.configGet("dir").get("dir"));
            assertNotEquals(bin.toRealPath(), dir.toRealPath());
            jedis.set("own", "1");
            assertEquals("OK", jedis.save());
            assertTrue(Files.exists(dir.resolve("dump.rdb")));
        } finally {
            if (previous == null) {
                System.clearProperty(EmbeddedRedis.SERVER_BINARY_PROPERTY);
            } else {
                System.setProperty(EmbeddedRedis.SERVER_BINARY_PROPERTY, previous);
            }
        }
        assertFalse(Files.exists(dir), "the data directory is deleted on close");
    }
}
