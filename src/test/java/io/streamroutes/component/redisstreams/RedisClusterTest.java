package io.streamroutes.component.redisstreams;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.streamroutes.ratelimit.SharedRateLimit;
import io.streamroutes.testsupport.Await;
import io.streamroutes.testsupport.LocalRedisCluster;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.StreamEntryID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The component against a real 3-master Redis Cluster built from Debian's redis-server ({@code .ci/run} installs it;
 * without it the test is skipped with the reason shown).
 */
class RedisClusterTest {

    private static LocalRedisCluster cluster;
    private static final List<Integer> ports = new ArrayList<>();

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = LocalRedisCluster.start();
        ports.addAll(cluster.ports());
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static String clusterNodes() {
        return cluster.clusterNodes();
    }

    @Test
    void consumesAcksAndDeadLettersAtomicallyWithAHashTag() throws Exception {
        Set<HostAndPort> seeds = new HashSet<>();
        ports.forEach(p -> seeds.add(new HostAndPort("127.0.0.1", p)));
        try (JedisCluster jedis = new JedisCluster(seeds); CamelContext context = new DefaultCamelContext()) {
            RedisStreamsComponent component = new RedisStreamsComponent();
            component.getConfiguration().setClusterNodes(clusterNodes());
            context.addComponent("redis-streams", component);
            List<String> processed = new java.util.concurrent.CopyOnWriteArrayList<>();
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("redis-streams:{integration}:tasks?group=integration-workers&consumer=worker-1&block=100"
                         + "&deadLetterStream={integration}:dead-letter")
                            .process(e -> {
                                Map<?, ?> body = e.getIn().getBody(Map.class);
                                if ("400".equals(body.get("amount"))) {
                                    throw new RedisStreamsNonRetryableException("provider answered 400");
                                }
                                processed.add(body.get("user_id").toString());
                            })
                            .to("redis-streams:{integration}:results");
                }
            });
            context.start();
            for (int i = 0; i < 50; i++) {
                jedis.xadd("{integration}:tasks", StreamEntryID.NEW_ENTRY,
                        Map.of("provider", "stripe", "user_id", Integer.toString(i), "amount", i == 7 ? "400" : "1999"));
            }
            Await.until("processed", 20_000, () -> processed.size() == 49 && jedis.exists("{integration}:dead-letter")
                          && jedis.xpending("{integration}:tasks", "integration-workers").getTotal() == 0);
            assertEquals(1, jedis.xlen("{integration}:dead-letter"));
            assertEquals(49, jedis.xlen("{integration}:results"));
            assertEquals("7", jedis.xrange("{integration}:dead-letter", (StreamEntryID) null, (StreamEntryID) null).get(0)
                    .getFields().get("user_id"));
        }
    }

    @Test
    void sharedRateLimitsRunOnTheNodesOfTheirKeys() throws Exception {
        Set<HostAndPort> seeds = new HashSet<>();
        ports.forEach(p -> seeds.add(new HostAndPort("127.0.0.1", p)));
        try (JedisCluster jedis = new JedisCluster(seeds); CamelContext context = new DefaultCamelContext()) {
            RedisStreamsComponent component = new RedisStreamsComponent();
            component.getConfiguration().setClusterNodes(clusterNodes());
            context.addComponent("redis-streams", component);
            context.start();
            SharedRateLimit limit = new SharedRateLimit();
            limit.setCamelContext(context);
            limit.setMaxWaitMs(0);
            // names whose keys fall on different nodes; each node first answers NOSCRIPT, then knows the script
            for (int i = 0; i < 6; i++) {
                String name = "cluster.limit" + i;
                context.getPropertiesComponent().addOverrideProperty(name + ".rate-limit", "0.2");
                limit.acquire(name);
                assertThrows(RedisStreamsRetryAfterException.class, () -> limit.acquire(name), "second call within 5 s");
                assertTrue(jedis.exists(SharedRateLimit.key(name)));
            }
            List<Long> keysPerNode = new ArrayList<>();
            for (int port : ports) {
                try (redis.clients.jedis.Jedis node = new redis.clients.jedis.Jedis("127.0.0.1", port)) {
                    keysPerNode.add((long) node.keys("ratelimit:{cluster.limit*").size());
                }
            }
            long nodesUsed = keysPerNode.stream().filter(n -> n > 0).count();
            assertTrue(nodesUsed > 1, "keys on more than one node: " + keysPerNode);
        }
    }

    @Test
    void aDeadLetterStreamInAnotherSlotIsRejectedAtStart() throws Exception {
        try (CamelContext context = new DefaultCamelContext()) {
            RedisStreamsComponent component = new RedisStreamsComponent();
            component.getConfiguration().setClusterNodes(clusterNodes());
            context.addComponent("redis-streams", component);
            context.start();
            Exception e = org.junit.jupiter.api.Assertions.assertThrows(Exception.class, () -> context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("redis-streams:integration:tasks?group=g&deadLetterStream=integration:dead-letter").to("log:x");
                }
            }));
            String message = String.valueOf(e.getMessage()) + (e.getCause() != null ? e.getCause().getMessage() : "");
            assertTrue(message.contains("another Redis Cluster hash slot") && message.contains("{integration}:dead-letter"), message);
        }
    }


}
