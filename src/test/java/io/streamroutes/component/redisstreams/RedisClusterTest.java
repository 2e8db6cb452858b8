package io.streamroutes.component.redisstreams;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import io.streamroutes.embedded.EmbeddedRedis;
import io.streamroutes.ratelimit.SharedRateLimit;
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
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The component against a real 3-master Redis Cluster built from Debian's redis-server ({@code .ci/run} installs it;
 * without it the test is skipped with the reason shown).
 */
class RedisClusterTest {

    private static final String SERVER = "/usr/bin/redis-server";
    private static final String CLI = "/usr/bin/redis-cli";
    private static final List<Process> nodes = new ArrayList<>();
    private static final List<Integer> ports = new ArrayList<>();
    private static Path dir;

    @BeforeAll
    static void startCluster() throws Exception {
        assumeTrue(new File(SERVER).canExecute() && new File(CLI).canExecute(),
                "SKIPPED: Redis Cluster test needs Debian's redis-server and redis-cli (apt-get install redis-server)");
        dir = Files.createTempDirectory("redis-cluster");
        for (int i = 0; i < 3; i++) {
            int port = EmbeddedRedis.freePort();
            ports.add(port);
            nodes.add(new ProcessBuilder(SERVER, "--port", Integer.toString(port), "--bind", "127.0.0.1", "--cluster-enabled", "yes",
                    "--cluster-config-file", "nodes-" + port + ".conf", "--dir", dir.toString(), "--save", "", "--appendonly", "no")
                    .redirectErrorStream(true).redirectOutput(dir.resolve("node-" + port + ".log").toFile()).start());
        }
        for (int port : ports) {
            waitFor(() -> run(CLI, "-p", Integer.toString(port), "ping").contains("PONG"), "node " + port);
        }
        List<String> create = new ArrayList<>(List.of(CLI, "--cluster", "create"));
        ports.forEach(p -> create.add("127.0.0.1:" + p));
        create.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
        run(create.toArray(new String[0]));
        for (int port : ports) {
            waitFor(() -> run(CLI, "-p", Integer.toString(port), "cluster", "info").contains("cluster_state:ok"), "cluster state ok");
        }
    }

    @AfterAll
    static void stopCluster() {
        nodes.forEach(Process::destroy);
        for (Process p : nodes) {
            try {
                p.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static String clusterNodes() {
        return String.join(",", ports.stream().map(p -> "127.0.0.1:" + p).toList());
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
            waitFor(() -> processed.size() == 49 && jedis.exists("{integration}:dead-letter")
                          && jedis.xpending("{integration}:tasks", "integration-workers").getTotal() == 0, "processed");
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

    private static String run(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            p.waitFor(30, TimeUnit.SECONDS);
            return out;
        } catch (IOException e) {
            return e.toString();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    private static void waitFor(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 20_000;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(100);
        }
    }
}
