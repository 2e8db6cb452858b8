package io.streamroutes.component.redisstreams;

import java.time.Duration;
import java.util.Map;

import io.streamroutes.embedded.EmbeddedRedis;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.builder.RouteBuilder;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** waitReplicas / waitTimeout against a real primary, alone and with a real replica. */
class RedisStreamsReplicaWaitTest extends RedisStreamsTestSupport {

    @Test
    void aWriteNoReplicaConfirmsFailsTheExchangeAfterTheTimeout() {
        long start = System.nanoTime();
        CamelExecutionException e = assertThrows(CamelExecutionException.class,
                () -> template.sendBody("redis-streams:orders?waitReplicas=1&waitTimeout=300ms", Map.of("n", "1")));
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        assertInstanceOf(RedisStreamsReplicasNotConfirmedException.class, e.getCause());
        assertTrue(e.getCause().getMessage().contains("confirmed by 0 of 1 replicas within 300 ms"), e.getCause().getMessage());
        assertTrue(tookMs >= 290, "WAIT waited its timeout, took " + tookMs + " ms");
        assertEquals(1, jedis.xlen("orders"), "the primary has the entry: a retry may duplicate it, nothing is lost");
    }

    @Test
    void aBatchNoReplicaConfirmsFailsToo() {
        CamelExecutionException e = assertThrows(CamelExecutionException.class,
                () -> template.sendBody("redis-streams:orders?waitReplicas=1&waitTimeout=100",
                        java.util.List.of(Map.of("n", "1"), Map.of("n", "2"))));
        assertInstanceOf(RedisStreamsReplicasNotConfirmedException.class, e.getCause());
    }

    @Test
    void writesAreOnTheReplicaWhenTheExchangeReturns() throws Exception {
        try (EmbeddedRedis replica = EmbeddedRedis.start(false, "replicaof " + redis.host() + " " + redis.port());
             Jedis onReplica = new Jedis(replica.host(), replica.port())) {
            Awaitility.await().atMost(Duration.ofSeconds(20))
                    .until(() -> onReplica.info("replication").contains("master_link_status:up")
                                 && jedis.info("replication").contains("connected_slaves:1"));
            for (int i = 1; i <= 50; i++) {
                template.sendBody("redis-streams:orders?waitReplicas=1&waitTimeout=5s", Map.of("n", Integer.toString(i)));
                assertEquals(i, onReplica.xlen("orders"), "entry " + i + " confirmed by the replica before the exchange returned");
            }
            // the consumer's dead-letter move waits as well
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("redis-streams:orders?group=g&consumer=c&block=50&deadLetterStream=orders:dead&waitReplicas=1&waitTimeout=5s")
                            .process(x -> {
                                throw new RedisStreamsNonRetryableException("poison");
                            });
                }
            });
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> onReplica.exists("orders:dead")
                                                                        && onReplica.xlen("orders:dead") == 50);
            assertNotNull(onReplica.xinfoGroups("orders").get(0));
            assertEquals(0, onReplica.xpending("orders", "g").getTotal());
        }
    }
}
