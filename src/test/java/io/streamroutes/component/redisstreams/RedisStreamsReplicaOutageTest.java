package io.streamroutes.component.redisstreams;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.streamroutes.testsupport.RedisProcesses;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.resps.StreamEntry;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A replica outage under {@code waitReplicas=1}, on Debian's redis-server 7 (a primary and a replica process): the
 * consumer holds its entries back without using up deliveries, reports readiness DOWN with the reason, dead-letters
 * nothing, and confirms a write the replicas missed with WAIT again instead of writing it again; once a replica is back
 * every entry completes and the target stream holds each one once. The same with the target as a {@code toD} endpoint,
 * whose producer is made when the first entry's exchange reaches it.
 */
class RedisStreamsReplicaOutageTest {

    private static final int ENTRIES = 5;

    @BeforeAll
    static void needsRedisServer() {
        RedisProcesses.assumeInstalled("replica outage test");
    }

    /** The consumer's readiness check, as /observe/health/ready runs it: state and message. */
    private static String readiness(CamelContext context) {
        RedisStreamsConsumerHealthCheck check = new RedisStreamsConsumerHealthCheck((RedisStreamsConsumer) context.getRoute("copy").getConsumer(), "copy");
        check.setCamelContext(context);
        HealthCheck.Result result = check.call();
        return result.getState() + " " + result.getMessage().orElse("");
    }

    private static void awaitReplicaLink(int primary, int replica) {
        await("replica linked").atMost(Duration.ofSeconds(30)).until(() -> RedisProcesses.cli(replica, "info", "replication").contains("master_link_status:up")
                                                                    && RedisProcesses.cli(primary, "wait", "1", "100").strip().equals("1"));
    }

    @ParameterizedTest(name = "dynamic target: {0}")
    @ValueSource(booleans = {true, false})
    void aMissingReplicaHoldsEntriesBackUntilItReturnsAndEachIsWrittenOnce(boolean dynamicTarget) throws Exception {
        try (RedisProcesses redis = new RedisProcesses()) {
            int primary = redis.startServer();
            int replica = redis.startServer("--replicaof", "127.0.0.1", Integer.toString(primary));
            awaitReplicaLink(primary, replica);
            CamelContext context = new DefaultCamelContext();
            RedisStreamsComponent component = new RedisStreamsComponent();
            component.getConfiguration().setHost("127.0.0.1");
            component.getConfiguration().setPort(primary);
            context.addComponent("redis-streams", component);
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    var route = from("redis-streams:w:in?group=g&consumer=c&block=100&maxDeliveries=2&deadLetterStream=w:dead&redeliveryDelay=200")
                            .routeId("copy");
                    if (dynamicTarget) {
                        route.setProperty("target", constant("w:out")).toD("redis-streams:${exchangeProperty.target}?waitReplicas=1&waitTimeout=200ms");
                    } else {
                        route.to("redis-streams:w:out?waitReplicas=1&waitTimeout=200ms");
                    }
                }
            });
            try (Jedis jedis = new Jedis("127.0.0.1", primary)) {
                context.start();
                await("ready").atMost(Duration.ofSeconds(20)).until(() -> readiness(context).startsWith("UP"));

                redis.kill(replica);
                for (int i = 0; i < ENTRIES; i++) {
                    jedis.xadd("w:in", StreamEntryID.NEW_ENTRY, Map.of("n", Integer.toString(i)));
                }
                await("readiness DOWN with the reason").atMost(Duration.ofSeconds(10))
                        .until(() -> readiness(context).startsWith("DOWN") && readiness(context).contains("replicas"));
                // several retries of 1 s with maxDeliveries=2: none used up a delivery, nothing dead-lettered, nothing written twice
                await().pollDelay(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(5)).until(() -> true);
                assertFalse(jedis.exists("w:dead"), "nothing dead-lettered for the outage");
                assertTrue(readiness(context).startsWith("DOWN"), readiness(context));
                assertTrue(jedis.xlen("w:out") >= 1, "the first entry reached the primary");
                assertEachOnce(jedis, jedis.xlen("w:out"));
                assertTrue(jedis.xpending("w:in", "g").getTotal() > 0);
                assertTrue(jedis.hlen("{w:out}:unconfirmed") >= 1, "the write the replicas missed is remembered");

                int back = redis.startServer("--replicaof", "127.0.0.1", Integer.toString(primary));
                awaitReplicaLink(primary, back);
                await("all entries done").atMost(Duration.ofSeconds(20)).until(() -> jedis.xpending("w:in", "g").getTotal() == 0
                                                                                  && jedis.xlen("w:out") == ENTRIES);
                assertEachOnce(jedis, ENTRIES);
                assertFalse(jedis.exists("w:dead"));
                assertFalse(jedis.exists("{w:out}:unconfirmed"), "nothing left to confirm");
                await("ready again").atMost(Duration.ofSeconds(10)).until(() -> readiness(context).startsWith("UP"));
                try (Jedis onReplica = new Jedis("127.0.0.1", back)) {
                    assertEquals(ENTRIES, onReplica.xlen("w:out"), "the replica has every entry");
                }
            } finally {
                context.stop();
            }
        }
    }

    /** The target holds {@code expected} entries, no source entry twice. */
    private static void assertEachOnce(Jedis jedis, long expected) {
        List<StreamEntry> out = jedis.xrange("w:out", (StreamEntryID) null, (StreamEntryID) null);
        Map<String, Integer> copies = new HashMap<>();
        out.forEach(e -> copies.merge(e.getFields().get("n"), 1, Integer::sum));
        assertEquals(expected, out.size(), copies.toString());
        assertTrue(copies.values().stream().allMatch(c -> c == 1), "each entry written once: " + copies);
    }
}
