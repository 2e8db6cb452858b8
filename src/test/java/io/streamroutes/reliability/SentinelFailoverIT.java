package io.streamroutes.reliability;

import java.time.Duration;
import java.util.List;

import io.streamroutes.testsupport.RedisProcesses;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Transaction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A primary, two replicas and three sentinels (Debian's redis-server). Under load, both replicas lose their link to
 * the primary and stall for 1.5 s (CLIENT KILL TYPE master, DEBUG SLEEP: lagging replicas) and the primary is killed with SIGKILL 0.8 s into the stall, so the writes it confirmed in
 * that time reached no replica. With waitReplicas=1 those exchanges failed and were retried, so no
 * confirmed write is lost; without it, they are lost silently.
 */
class SentinelFailoverIT {

    static final String MASTER = "mymaster";

    @BeforeEach
    void needsRedis() {
        RedisProcesses.assumeInstalled("Sentinel failover test");
    }

    /** What one run measured. */
    record Outcome(FailoverLoad load, long lost) {
    }

    @Test
    void noConfirmedWriteIsLostAcrossAFailoverWithWaitReplicas() throws Exception {
        Outcome outcome = failover("waitReplicas=1&waitTimeout=500ms", "8-sentinel-failover-wait");
        FailoverLoad load = outcome.load();
        assertEquals(0, outcome.lost(), "confirmed writes lost in the failover");
        assertEquals(0, load.unprocessed(), "confirmed writes never processed");
        assertTrue(load.resumeSeconds() < 15, "consuming resumed after " + load.resumeSeconds() + " s");
        assertTrue(load.duplicates() < load.confirmedCount() / 4, "duplicates bounded: " + load.duplicates());
    }

    @Test
    void withoutWaitReplicasWritesTheLaggingReplicasMissedAreLost() throws Exception {
        Outcome outcome = failover("waitReplicas=0", "9-sentinel-failover-no-wait");
        FailoverLoad load = outcome.load();
        // the reason waitReplicas exists: confirmed by the primary alone, gone from the stream after the promotion
        assertTrue(outcome.lost() > 0, "expected lost writes without WAIT, got " + outcome.lost());
        assertTrue(load.resumeSeconds() < 15, "consuming resumed after " + load.resumeSeconds() + " s");
    }

    /**
     * Drops the replica's link to its primary (what the socket still held is discarded) and blocks it for 1.5 s in the
     * same transaction, so it cannot reconnect in between: it misses every write of that time.
     */
    private static void stallReplica(int port) {
        Thread stall = new Thread(() -> {
            try (Jedis jedis = new Jedis("127.0.0.1", port, 10_000)) {
                Transaction multi = jedis.multi();
                multi.sendCommand(() -> "CLIENT".getBytes(), "KILL", "TYPE", "master");
                multi.sendCommand(() -> "DEBUG".getBytes(), "SLEEP", "1.5");
                multi.exec();
            }
        }, "stall-replica-" + port);
        stall.setDaemon(true);
        stall.start();
    }

    private Outcome failover(String producerOptions, String section) throws Exception {
        try (RedisProcesses redis = new RedisProcesses()) {
            int primary = redis.startServer();
            int replica1 = redis.startServer("--replicaof", "127.0.0.1", Integer.toString(primary), "--enable-debug-command", "local");
            int replica2 = redis.startServer("--replicaof", "127.0.0.1", Integer.toString(primary), "--enable-debug-command", "local");
            Awaitility.await().atMost(Duration.ofSeconds(20))
                    .until(() -> RedisProcesses.cli(primary, "info", "replication").contains("connected_slaves:2"));
            List<Integer> sentinels = redis.startSentinelsSeeing(MASTER, primary, replica2);

            try (CamelContext context = new DefaultCamelContext()) {
                context.addComponent("redis-streams", RedisProcesses.componentThrough(MASTER, sentinels));
                FailoverLoad load = new FailoverLoad(context,
                        "redis-streams:load?group=g&consumer=c&block=200&count=50&minIdleTime=3000&claimInterval=1000",
                        "redis-streams:load?" + producerOptions);
                context.start();
                load.startWriting();
                load.awaitConfirmed(2000);
                for (int replica : List.of(replica1, replica2)) {
                    stallReplica(replica);
                }
                Thread.sleep(800); // writes go on while no replica reads the replication stream
                redis.kill(primary);
                load.failureNow();
                load.awaitResumedThenStop(1000);
                Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> load.unprocessed() == 0);
                String newPrimary = RedisProcesses.cli(sentinels.get(0), "sentinel", "get-master-addr-by-name", MASTER);
                long lost;
                try (Jedis jedis = new Jedis("127.0.0.1", Integer.parseInt(newPrimary.trim().split("\\s+")[1]))) {
                    lost = load.lostFrom(jedis, "load");
                }
                ReliabilityReport.section(section, """
                        ## Sentinel failover under load, producer options `%s`

                        Primary + 2 replicas + 3 sentinels (Debian redis-server, down-after 1000 ms, failover-timeout
                        3000 ms). After 2000 confirmed writes both replicas drop their link (`CLIENT KILL TYPE master`)
                        and stall for 1.5 s (`DEBUG SLEEP 1.5`); the
                        primary is killed (SIGKILL) 0.8 s into the stall. The writer retries a write until its exchange succeeds; the consumer is a group reader.

                        | figure | value |
                        |---|---|
                        | writes confirmed (exchange succeeded) | %d |
                        | write attempts that failed and were retried | %d |
                        | confirmed, then missing from the stream on the new primary | %d |
                        | confirmed and never processed | %d |
                        | duplicate deliveries | %d |
                        | seconds from kill to consuming new entries | %.1f |
                        | new primary | %s |
                        """.formatted(producerOptions, load.confirmedCount(), load.failedWrites(), lost, load.unprocessed(), load.duplicates(),
                        load.resumeSeconds(), newPrimary.replace('\n', ' ').trim()));
                load.close();
                return new Outcome(load, lost);
            }
        }
    }
}
