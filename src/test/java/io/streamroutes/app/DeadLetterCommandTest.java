package io.streamroutes.app;

import java.util.LinkedHashMap;
import java.util.Map;

import io.streamroutes.embedded.EmbeddedRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import io.streamroutes.testsupport.EmbeddedRedisExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.StreamEntryID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The dlq command line against a real Redis, with dead letters in the component's format. */
class DeadLetterCommandTest {

    @RegisterExtension
    static final EmbeddedRedisExtension redis = new EmbeddedRedisExtension();
    private Jedis jedis;
    private final CommandLineRun cli = new CommandLineRun();

    @BeforeEach
    void setUp() {
        jedis = new Jedis(redis.host(), redis.port());
        jedis.flushAll();
        System.setProperty("camel.component.redis-streams.host", redis.host());
        System.setProperty("camel.component.redis-streams.port", Integer.toString(redis.port()));
    }

    @AfterEach
    void tearDown() {
        jedis.close();
        System.clearProperty("camel.component.redis-streams.host");
        System.clearProperty("camel.component.redis-streams.port");
    }

    private String deadLetter(String sourceId, String user) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("provider", "stripe");
        f.put("user_id", user);
        f.put("x-source-stream", "integration:tasks");
        f.put("x-source-id", sourceId);
        f.put("x-group", "integration-workers");
        f.put("x-delivery-count", "1");
        f.put("x-error", "HTTP 400 from provider");
        f.put("x-failed-at", "2026-11-26T09:00:00Z");
        return jedis.xadd("integration:dead-letter", StreamEntryID.NEW_ENTRY, f).toString();
    }

    @Test
    void listShowsATable() {
        deadLetter("1-0", "124");
        deadLetter("2-0", "125");
        assertEquals(0, cli.dlq("list", "integration:dead-letter", "--max", "1"));
        String table = cli.out();
        assertTrue(table.contains("integration:tasks") && table.contains("HTTP 400 from provider") && table.contains("user_id=124"), table);
        assertFalse(table.contains("user_id=125"), "--max 1");
        assertTrue(table.contains("1 of 2 dead letters"), table);
    }

    @Test
    void requeueMovesOneEntryBackWithoutTheAddedFields() {
        String id = deadLetter("1-0", "124");
        assertEquals(0, cli.dlq("requeue", "integration:dead-letter", id));
        assertEquals(0, jedis.xlen("integration:dead-letter"));
        var back = jedis.xrange("integration:tasks", (StreamEntryID) null, (StreamEntryID) null);
        assertEquals(1, back.size());
        assertEquals(Map.of("provider", "stripe", "user_id", "124"), back.get(0).getFields());
    }

    @Test
    void requeueAllAndPurge() {
        deadLetter("1-0", "1");
        deadLetter("2-0", "2");
        assertEquals(0, cli.dlq("requeue", "integration:dead-letter", "--all"));
        assertEquals(2, jedis.xlen("integration:tasks"));
        deadLetter("3-0", "3");
        assertEquals(0, cli.dlq("purge", "integration:dead-letter"));
        assertTrue(cli.out().contains("purged 1 dead letters"));
        assertFalse(jedis.exists("integration:dead-letter"));
    }

    @Test
    void exitCodesForScripts() {
        assertEquals(1, cli.dlq("requeue", "integration:dead-letter", "9-9"), "no such entry");
        assertTrue(cli.err().contains("No dead letter 9-9"));
        assertEquals(2, cli.dlq("list"), "usage");
        assertEquals(2, cli.dlq("frobnicate", "x"), "unknown verb");
        System.setProperty("camel.component.redis-streams.port", Integer.toString(EmbeddedRedis.freePort()));
        assertEquals(1, cli.dlq("list", "integration:dead-letter"), "Redis unreachable");
        assertTrue(cli.err().contains("cannot talk to Redis"), cli.err());
    }
}
