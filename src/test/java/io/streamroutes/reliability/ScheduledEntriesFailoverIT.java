package io.streamroutes.reliability;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import io.streamroutes.component.redisstreams.RedisStreamsConstants;
import io.streamroutes.testsupport.RedisProcesses;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Scheduled entries across a Sentinel failover (Debian's redis-server: a primary, a replica, three sentinels): entries
 * scheduled (and confirmed by the replica, {@code waitReplicas=1}) before the primary is killed with SIGKILL are
 * delivered after the failover, each once, within a second of their time, or of the promotion for those due while
 * there was no primary.
 */
class ScheduledEntriesFailoverIT {

    static final String MASTER = "mymaster";
    static final int ENTRIES = 20;
    /** The first entry is due this long after the kill, the others 300 ms apart: some during the failover, most after. */
    static final long FIRST_DUE_AFTER_KILL_MS = 1000;
    static final long SPACING_MS = 300;

    @BeforeEach
    void needsRedis() {
        RedisProcesses.assumeInstalled("Scheduled entries failover test");
    }

    @Test
    void entriesScheduledBeforeAFailoverAreDeliveredAfterItOnceAndOnTime() throws Exception {
        Map<String, List<Long>> receivedAt = new ConcurrentHashMap<>();
        try (RedisProcesses redis = new RedisProcesses()) {
            int primary = redis.startServer();
            int replica = redis.startServer("--replicaof", "127.0.0.1", Integer.toString(primary));
            // linked and past its first sync: until then WAIT counts no replica
            Awaitility.await().atMost(Duration.ofSeconds(20))
                    .until(() -> RedisProcesses.cli(primary, "info", "replication").contains("state=online")
                                 && RedisProcesses.cli(replica, "info", "replication").contains("master_link_status:up"));
            List<Integer> sentinels = redis.startSentinelsSeeing(MASTER, primary, replica);

            try (CamelContext context = new DefaultCamelContext()) {
                context.addComponent("redis-streams", RedisProcesses.componentThrough(MASTER, sentinels));
                context.addRoutes(new RouteBuilder() {
                    @Override
                    public void configure() {
                        from("redis-streams:later?group=g&consumer=c&block=200&minIdleTime=3000&claimInterval=1000").routeId("later")
                                .process(x -> receivedAt.computeIfAbsent(x.getIn().getBody(Map.class).get("n").toString(),
                                        n -> new CopyOnWriteArrayList<>()).add(System.currentTimeMillis()));
                    }
                });
                context.start();

                ProducerTemplate producer = context.createProducerTemplate();
                long killAt = System.currentTimeMillis() + 1500; // time to schedule them all
                long[] due = new long[ENTRIES];
                for (int n = 0; n < ENTRIES; n++) {
                    due[n] = killAt + FIRST_DUE_AFTER_KILL_MS + n * SPACING_MS;
                    producer.sendBodyAndHeader("redis-streams:later?waitReplicas=1&waitTimeout=2s", Map.of("n", Integer.toString(n)),
                            RedisStreamsConstants.DELIVER_AT, due[n]);
                }
                assertEquals(ENTRIES, Long.parseLong(RedisProcesses.cli(replica, "zcard", "{later}:scheduled").trim()),
                        "every entry reached the replica before the kill");
                Awaitility.await().pollInterval(Duration.ofMillis(20)).atMost(Duration.ofSeconds(5))
                        .until(() -> System.currentTimeMillis() >= killAt);
                redis.kill(primary);
                Awaitility.await().pollInterval(Duration.ofMillis(50)).atMost(Duration.ofSeconds(30)).until(() -> RedisProcesses
                        .cli(sentinels.get(0), "sentinel", "get-master-addr-by-name", MASTER).contains(Integer.toString(replica)));
                long promotedAt = System.currentTimeMillis();

                Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> receivedAt.size() == ENTRIES);
                // a moment for a second delivery of any of them to show up
                Awaitility.await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(() -> true);
                StringBuilder report = new StringBuilder();
                long worst = Long.MIN_VALUE;
                for (int n = 0; n < ENTRIES; n++) {
                    List<Long> times = receivedAt.get(Integer.toString(n));
                    assertEquals(1, times.size(), "entry " + n + " delivered once: " + receivedAt);
                    long bound = Math.max(due[n], promotedAt) + 1000;
                    long late = times.get(0) - due[n];
                    worst = Math.max(worst, times.get(0) - bound + 1000);
                    report.append(String.format("%d: due %+d ms after the kill, delivered %d ms after its time%n", n, due[n] - killAt, late));
                    assertTrue(times.get(0) >= due[n], "entry " + n + " not before its time: " + report);
                    assertTrue(times.get(0) <= bound, "entry " + n + " within 1 s of max(its time, the promotion): " + report);
                }
                System.out.printf("scheduled entries across a failover: promotion %d ms after the kill; worst delivery %d ms after "
                                  + "max(due time, promotion)%n%s", promotedAt - killAt, worst, report);
                assertEquals("0", RedisProcesses.cli(replica, "zcard", "{later}:scheduled").trim());
            }
        }
    }
}
