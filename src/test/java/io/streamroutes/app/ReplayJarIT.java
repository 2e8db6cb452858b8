package io.streamroutes.app;

import java.util.List;
import java.util.Map;

import io.streamroutes.embedded.EmbeddedRedis;
import io.streamroutes.testsupport.JarProcess;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.StreamEntryID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code java -jar ... --replay analytics}: rebuilds the daily reports from the stream and exits, consuming nothing. */
class ReplayJarIT {

    @Test
    void replayRebuildsTheReportsAndExits() throws Exception {
        try (EmbeddedRedis redis = EmbeddedRedis.start(); Jedis jedis = new Jedis(redis.host(), redis.port())) {
            jedis.xadd("business:events", new StreamEntryID(1700000000000L, 0),
                    Map.of("type", "order_created", "order_id", "1001", "user_id", "123"));
            jedis.xadd("business:events", new StreamEntryID(1700000000001L, 0),
                    Map.of("type", "order_paid", "order_id", "1001", "user_id", "123", "amount", "1999"));
            jedis.hset("report:daily:2023-11-14", "orders_created", "999"); // a damaged report
            try (JarProcess replay = JarProcess.start(List.of("-Dcamel.component.redis-streams.host=" + redis.host(),
                    "-Dcamel.component.redis-streams.port=" + redis.port()), "--replay", "analytics")) {
                assertEquals(0, replay.waitForExit(60_000), replay.output());
                assertTrue(replay.output().contains("replayed 2 entries of business:events up to 1700000000001-0"), replay.output());
            }
            Map<String, String> report = jedis.hgetAll("report:daily:2023-11-14");
            assertEquals("1", report.get("orders_created"));
            assertEquals("1", report.get("orders_paid"));
            assertEquals("1999", report.get("revenue_cents"));
            assertEquals("1", report.get("users"));
            assertTrue(jedis.xinfoGroups("business:events").isEmpty(), "the replay consumed nothing in a group");
        }
    }
}
