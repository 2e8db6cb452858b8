package io.streamroutes.reliability;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.streamroutes.component.redisstreams.RedisStreamsComponent;
import io.streamroutes.testsupport.RedisProcesses;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisCluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A Redis Cluster of 3 masters with a replica each (Debian's redis-server); the master holding the stream is killed
 * with SIGKILL under load. After its replica is promoted the route goes on: new writes are confirmed and processed.
 * Replication is asynchronous and waitReplicas is not available on a Cluster, so writes the master confirmed in its
 * last moments may be gone: the figure is reported, not asserted.
 */
class ClusterFailoverIT {

    static final String KEY = "{load}:tasks";

    @Test
    void theRouteGoesOnAfterAMasterIsKilledAndItsReplicaPromoted() throws Exception {
        RedisProcesses.assumeInstalled("Cluster failover test");
        try (RedisProcesses redis = new RedisProcesses()) {
            List<Integer> ports = redis.startCluster(3, 1, 1000);
            Set<HostAndPort> seeds = new HashSet<>();
            ports.forEach(p -> seeds.add(new HostAndPort("127.0.0.1", p)));
            try (CamelContext context = new DefaultCamelContext(); JedisCluster jedis = new JedisCluster(seeds)) {
                RedisStreamsComponent component = new RedisStreamsComponent();
                component.getConfiguration().setClusterNodes(String.join(",", ports.stream().map(p -> "127.0.0.1:" + p).toList()));
                component.getConfiguration().setTimeout(1000);
                context.addComponent("redis-streams", component);
                FailoverLoad load = new FailoverLoad(context,
                        "redis-streams:" + KEY + "?group=g&consumer=c&block=200&count=50&minIdleTime=3000&claimInterval=1000",
                        "redis-streams:" + KEY);
                context.start();
                load.startWriting();
                load.awaitConfirmed(2000);
                int owner = ports.stream().filter(p -> RedisProcesses.cli(p, "role").startsWith("master")
                                                       && !RedisProcesses.cli(p, "exists", KEY).contains("MOVED"))
                        .findFirst().orElseThrow();
                redis.kill(owner);
                load.failureNow();
                load.awaitResumedThenStop(1000);
                long lost = load.lostFrom(jedis, KEY);
                // every write that survived the promotion is processed
                Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> load.unprocessed() <= lost);

                ReliabilityReport.section("10-cluster-failover", """
                        ## Redis Cluster: a master killed under load

                        3 masters + 3 replicas (Debian redis-server, cluster-node-timeout 1000 ms); the master holding
                        `%s` is killed (SIGKILL) after 2000 confirmed writes; the writer retries a write until its
                        exchange succeeds (no waitReplicas: WAIT is not supported on a Cluster connection).

                        | figure | value |
                        |---|---|
                        | writes confirmed (exchange succeeded) | %d |
                        | write attempts that failed and were retried | %d |
                        | confirmed, then missing from the stream after the promotion | %d |
                        | confirmed, still in the stream, never processed | %d |
                        | duplicate deliveries | %d |
                        | seconds from kill to consuming new entries | %.1f |
                        """.formatted(KEY, load.confirmedCount(), load.failedWrites(), lost, load.unprocessed() - lost,
                        load.duplicates(), load.resumeSeconds()));
                assertTrue(load.resumeSeconds() < 15, "consuming resumed after " + load.resumeSeconds() + " s");
                assertEquals(lost, load.unprocessed(), "every confirmed write still in the stream is processed");
                load.close();
            }
        }
    }
}
