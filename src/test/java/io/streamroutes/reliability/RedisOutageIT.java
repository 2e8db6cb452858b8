package io.streamroutes.reliability;

import java.time.Duration;
import java.util.Map;

import io.streamroutes.embedded.EmbeddedRedis;
import io.streamroutes.testsupport.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Redis going away under the real jar: restarted mid-run (AOF, appendfsync always, same port), and not there at all
 * when the app starts. The app must neither die nor lose anything, and log one line per outage.
 */
class RedisOutageIT {

    static final int ENTRIES = Integer.getInteger("reliability.entries", 20_000) / 4;
    static final String READER_DOWN = "consumer 'worker-a': Redis unreachable";
    static final String READER_BACK = "consumer 'worker-a' is reading again";
    /** Camel's consumers health repository publishes the component's check under the route id. */
    static final String CHECK_ID = "consumer:reliability";

    private EmbeddedRedis redis;
    private ChildApp child;

    @BeforeEach
    void startRedis() {
        ChildApp.assumeJarBuilt();
        redis = EmbeddedRedis.start(true);
    }

    @AfterEach
    void stopAll() throws Exception {
        if (child != null) {
            child.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    private Map<String, String> childProperties() {
        Map<String, String> props = ChildApp.redisAt(redis.host(), redis.port());
        props.put("reliability.consumer", "worker-a");
        return props;
    }

    @Test
    void aRedisRestartWithAofMidRunLosesNothingAndLogsOneLinePerOutage() throws Exception {
        try (Jedis jedis = new Jedis(redis.host(), redis.port())) {
            new RecordingStreams(jedis).add(0, ENTRIES);
            child = ChildApp.start("outage-restart", "256m", childProperties());
            await("a third processed").atMost(Duration.ofSeconds(120))
                    .until(() -> new RecordingStreams(jedis).processedCount() >= ENTRIES / 3);
        }
        redis.stopServer();
        Thread.sleep(3000); // an outage that lasts: the app keeps failing to reach Redis meanwhile
        assertTrue(child.isAlive(), "the app must survive Redis being down");
        redis.startServer();
        try (Jedis jedis = new Jedis(redis.host(), redis.port())) {
            RecordingStreams streams = new RecordingStreams(jedis);
            await("every entry processed after the restart").atMost(Duration.ofSeconds(120))
                    .until(() -> streams.pendingCount() == 0 && streams.tally(ENTRIES).complete());
            child.stopGracefully();
            RecordingStreams.Tally tally = streams.tally(ENTRIES);
            int downLines = child.lines("WARN", READER_DOWN).size();
            int backLines = child.lines(READER_BACK).size();
            ReliabilityReport.section("2-redis-restart", """
                    ## Redis restart (AOF, appendfsync always) while the real jar consumes
                    | entries | outages | lost | duplicates | XPENDING at end | WARN lines "Redis unreachable" | "reading again" lines |
                    |---|---|---|---|---|---|---|
                    | %d | 1 (3 s) | %d | %d | %d | %d | %d |
                    """.formatted(ENTRIES, tally.lost(), tally.duplicates(), streams.pendingCount(), downLines, backLines));
            assertEquals(0, tally.lost(), "entries lost across the Redis restart");
            assertEquals(0, streams.pendingCount(), "XPENDING after the restart");
            assertEquals(1, downLines, "one WARN line for the outage, not one per retry");
            assertEquals(1, backLines, "one line when reading resumes");
        }
    }

    @Test
    void redisDownAtStartKeepsTheAppAliveAndNotReadyUntilRedisComes() throws Exception {
        redis.stopServer();
        int jmxPort = ChildJmx.freePort();
        Map<String, String> props = childProperties();
        props.putAll(ChildJmx.agentProperties(jmxPort));
        child = ChildApp.start("outage-at-start", "256m", props);
        String downCheck;
        String upCheck;
        try (ChildJmx jmx = ChildJmx.connect(jmxPort, 60_000)) {
            await("Camel's health MBean").atMost(Duration.ofSeconds(60)).until(() -> {
                try {
                    return jmx.health() != null && String.valueOf(jmx.check(CHECK_ID)).startsWith("DOWN");
                } catch (Exception e) {
                    return false;
                }
            });
            // several retries
            Await.holds("the app stays alive and not ready while Redis is down at start", Duration.ofMillis(3000),
                    () -> child.isAlive() && !jmx.readiness());
            downCheck = jmx.check(CHECK_ID);
            assertTrue(downCheck.contains("Redis unreachable"), downCheck);

            redis.startServer();
            try (Jedis jedis = new Jedis(redis.host(), redis.port())) {
                RecordingStreams streams = new RecordingStreams(jedis);
                streams.add(0, 100);
                await("entries processed once Redis is up").atMost(Duration.ofSeconds(60))
                        .until(() -> streams.pendingCount() == 0 && streams.tally(100).complete());
            }
            await("readiness UP").atMost(Duration.ofSeconds(10)).until(() -> {
                try {
                    return jmx.readiness();
                } catch (Exception e) {
                    return false;
                }
            });
            upCheck = jmx.check(CHECK_ID);
        }
        child.stopGracefully();
        int downLines = child.lines("WARN", READER_DOWN).size();
        ReliabilityReport.section("3-redis-down-at-start", """
                ## Redis down when the real jar starts
                App alive after 3 s of retries: yes. Readiness over JMX while down: `%s`.
                After Redis came up: readiness `%s`, 100/100 entries processed. WARN lines of the reading thread: %d.
                """.formatted(downCheck.strip().replace('\n', ' '), upCheck, downLines));
        assertTrue(upCheck.startsWith("UP"), upCheck);
        assertEquals(1, downLines, "one WARN line for the outage, not one per retry");
    }
}
