package io.streamroutes.component.redisstreams;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import io.streamroutes.analytics.ReportReplay;
import io.streamroutes.component.redisstreams.client.ConcurrencyLeases;
import io.streamroutes.component.redisstreams.client.DeadLetterMove;
import io.streamroutes.component.redisstreams.client.StreamGroup;
import io.streamroutes.ratelimit.SharedRateLimit;
import io.streamroutes.testsupport.RedisProcesses;
import io.streamroutes.testsupport.ScenarioApp;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.util.JedisClusterCRC16;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The component and the analytics route against a real 3-master Redis Cluster built from Debian's redis-server
 * ({@code .ci/run} installs it; without it the test is skipped with the reason shown).
 */
class RedisClusterTest {

    private static RedisProcesses redis;
    private static List<Integer> ports;

    @BeforeAll
    static void startCluster() {
        RedisProcesses.assumeInstalled("Redis Cluster test");
        redis = new RedisProcesses();
        ports = redis.startCluster(3, 0, 5000);
    }

    @AfterAll
    static void stopCluster() {
        if (redis != null) {
            redis.close();
        }
    }

    private static String clusterNodes() {
        return String.join(",", ports.stream().map(p -> "127.0.0.1:" + p).toList());
    }

    private static JedisCluster jedisCluster() {
        Set<HostAndPort> seeds = new HashSet<>();
        ports.forEach(p -> seeds.add(new HostAndPort("127.0.0.1", p)));
        return new JedisCluster(seeds);
    }

    @Test
    void consumesAcksAndDeadLettersAtomicallyWithAHashTag() throws Exception {
        assertDeadLettersExactlyOnce("{integration}:tasks", "{integration}:dead-letter", "{integration}:results");
    }

    @Test
    void aDeadLetterStreamInAnotherSlotIsWrittenThenAcked() throws Exception {
        assertTrue(!DeadLetterMove.sameSlot("integration:tasks", "integration:dead-letter"), "the test needs two slots");
        assertDeadLettersExactlyOnce("integration:tasks", "integration:dead-letter", "integration:results");
    }

    private void assertDeadLettersExactlyOnce(String tasks, String deadLetters, String results) throws Exception {
        try (JedisCluster jedis = jedisCluster(); CamelContext context = new DefaultCamelContext()) {
            List.of(tasks, deadLetters, results).forEach(jedis::del);
            RedisStreamsComponent component = new RedisStreamsComponent();
            component.getConfiguration().setClusterNodes(clusterNodes());
            context.addComponent("redis-streams", component);
            List<String> processed = new CopyOnWriteArrayList<>();
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("redis-streams:" + tasks + "?group=integration-workers&consumer=worker-1&block=100&deadLetterStream=" + deadLetters)
                            .process(e -> {
                                Map<?, ?> body = e.getIn().getBody(Map.class);
                                if ("400".equals(body.get("amount"))) {
                                    throw new RedisStreamsNonRetryableException("provider answered 400");
                                }
                                processed.add(body.get("user_id").toString());
                            })
                            .to("redis-streams:" + results);
                }
            });
            context.start();
            for (int i = 0; i < 50; i++) {
                jedis.xadd(tasks, StreamEntryID.NEW_ENTRY,
                        Map.of("provider", "stripe", "user_id", Integer.toString(i), "amount", i % 10 == 7 ? "400" : "1999"));
            }
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> processed.size() == 45 && jedis.exists(deadLetters)
                                                                        && jedis.xpending(tasks, "integration-workers").getTotal() == 0);
            assertEquals(5, jedis.xlen(deadLetters));
            assertEquals(45, jedis.xlen(results));
            assertEquals("7", jedis.xrange(deadLetters, (StreamEntryID) null, (StreamEntryID) null).get(0).getFields().get("user_id"));
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

    /**
     * maxConcurrencyPerKey holds across two processes on a Cluster: the group-wide counts and leases live in the
     * stream's slot (the stream key has no hash tag), so the lease scripts run on the stream's node.
     */
    @Test
    void aPerKeyLimitHoldsAcrossTwoProcessesOnTheCluster() throws Exception {
        String stream = "integration:tasks";
        StreamGroup group = new StreamGroup(stream, "integration-workers");
        assertEquals(JedisClusterCRC16.getSlot(stream), JedisClusterCRC16.getSlot(ConcurrencyLeases.countsKey(group)));
        assertEquals(JedisClusterCRC16.getSlot(stream), JedisClusterCRC16.getSlot(ConcurrencyLeases.leasesKey(group)));
        Map<String, AtomicInteger> running = new ConcurrentHashMap<>();
        Map<String, Integer> mostAtOnce = new ConcurrentHashMap<>();
        AtomicInteger runningAll = new AtomicInteger();
        AtomicInteger mostAtOnceAll = new AtomicInteger();
        List<String> done = new CopyOnWriteArrayList<>();
        try (JedisCluster jedis = jedisCluster(); CamelContext first = perKeyContext(stream, "p1");
             CamelContext second = perKeyContext(stream, "p2")) {
            jedis.del(stream);
            jedis.xgroupCreate(stream, group.group(), new StreamEntryID(0, 0), true);
            for (CamelContext context : List.of(first, second)) {
                context.addRoutes(new RouteBuilder() {
                    @Override
                    public void configure() {
                        from("redis-streams:" + stream + "?group=" + group.group() + "&consumer=" + context.getName()
                             + "&block=100&concurrency=3&maxConcurrencyPerKey=1&concurrencyKey=RAW(${body[user_id]})")
                                .process(e -> {
                                    String user = e.getIn().getBody(Map.class).get("user_id").toString();
                                    int now = running.computeIfAbsent(user, u -> new AtomicInteger()).incrementAndGet();
                                    mostAtOnce.merge(user, now, Math::max);
                                    mostAtOnceAll.accumulateAndGet(runningAll.incrementAndGet(), Math::max);
                                    Thread.sleep(30);
                                    runningAll.decrementAndGet();
                                    running.get(user).decrementAndGet();
                                    done.add(e.getIn().getHeader(RedisStreamsConstants.ENTRY_ID, String.class));
                                });
                    }
                });
                context.start();
            }
            for (int i = 0; i < 30; i++) {
                jedis.xadd(stream, StreamEntryID.NEW_ENTRY, Map.of("user_id", "u" + i % 3, "amount", "1999"));
            }
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> done.size() >= 30
                                                                        && jedis.xpending(stream, group.group()).getTotal() == 0);
            assertEquals(30, new HashSet<>(done).size(), "every entry once");
            assertEquals(Map.of("u0", 1, "u1", 1, "u2", 1), mostAtOnce, "one entry of a user at a time, over both processes");
            assertTrue(mostAtOnceAll.get() > 1, "the users' entries ran side by side: " + mostAtOnceAll.get());
        }
    }

    private static CamelContext perKeyContext(String stream, String name) {
        CamelContext context = new DefaultCamelContext();
        context.getCamelContextExtension().setName(name);
        RedisStreamsComponent component = new RedisStreamsComponent();
        component.getConfiguration().setClusterNodes(clusterNodes());
        context.addComponent("redis-streams", component);
        return context;
    }

    @Test
    void analyticsCountsAndReplaysOnTheCluster() throws Exception {
        try (JedisCluster jedis = jedisCluster();
             ScenarioApp app = ScenarioApp.start("127.0.0.1", ports.get(0), Map.of(
                     "camel.component.redis-streams.cluster-nodes", clusterNodes(),
                     "analytics.block-ms", "200"), "routes/analytics.yaml")) {
            // events on five days (ids chosen so the days fall in different slots), one malformed
            long day = 86_400_000L;
            int n = 0;
            for (int d = 0; d < 5; d++) {
                for (int i = 0; i < 10; i++) {
                    String id = (1_700_000_000_000L + d * day + i) + "-0";
                    jedis.xadd("business:events", new StreamEntryID(id), Map.of("type", i % 2 == 0 ? "order_created" : "order_paid",
                            "order_id", "o" + n, "user_id", "u" + (n % 4), "amount", "100"));
                    n++;
                }
            }
            jedis.xadd("business:events", StreamEntryID.NEW_ENTRY, Map.of("type", "order_created", "user_id", "u1"));
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> jedis.exists("business:dead-letter")
                                                                        && jedis.xpending("business:events", "analytics").getTotal() == 0
                                                                        && jedis.scard("report:days") == 5 && paidOrders(jedis) == 25);
            Map<String, Map<String, String>> live = reports(jedis);
            assertEquals(Map.of("orders_created", "5", "orders_paid", "5", "revenue_cents", "500", "users", "4", "ignored", "0"),
                    live.get("2023-11-14"));
            // the bookkeeping sits in the report's slot and expires
            assertTrue(jedis.ttl("report:processed:{report:daily:2023-11-14}") > 0);

            jedis.hset("report:daily:2023-11-14", "orders_created", "999");
            ReportReplay replay = app.context().getRegistry().lookupByNameAndType("reportReplay", ReportReplay.class);
            assertEquals(50, replay.replay().counted());
            assertEquals(live, reports(jedis), "the replay on the Cluster gives the same reports");
        }
    }

    private static long paidOrders(JedisCluster jedis) {
        return reports(jedis).values().stream().mapToLong(r -> Long.parseLong(r.getOrDefault("orders_paid", "0"))).sum();
    }

    private static Map<String, Map<String, String>> reports(JedisCluster jedis) {
        Map<String, Map<String, String>> reports = new TreeMap<>();
        jedis.smembers("report:days").forEach(d -> reports.put(d, jedis.hgetAll("report:daily:" + d)));
        return reports;
    }
}
