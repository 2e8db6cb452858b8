package io.streamroutes.component.redisstreams;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.streamroutes.testsupport.Await;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.params.XReadGroupParams;
import redis.clients.jedis.resps.StreamConsumerInfo;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Long-running entries are not stolen, idle consumers are cleaned up, a lost group is re-created. */
class RedisStreamsLongJobsAndHygieneTest extends RedisStreamsTestSupport {

    private static final String KEY = "media:tasks";
    private static final String GROUP = "media-workers";

    @Override
    protected org.apache.camel.CamelContext createCamelContext() throws Exception {
        org.apache.camel.CamelContext context = super.createCamelContext();
        addHealthChecks(context);
        return context;
    }

    /** Two consumers sweeping with XAUTOCLAIM; the entry's job takes three times minIdleTime. */
    private Map<String, Integer> runSlowJob(String keepAliveOption) throws Exception {
        Map<String, Integer> runs = new ConcurrentHashMap<>();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                String common = "redis-streams:" + KEY + "?group=" + GROUP + "&block=50&minIdleTime=400&claimInterval=50" + keepAliveOption;
                from(common + "&consumer=a").process(e -> {
                    runs.merge(e.getIn().getHeader(RedisStreamsConstants.ENTRY_ID, String.class), 1, Integer::sum);
                    Thread.sleep(1200); // a resize that takes 3 x minIdleTime
                });
                from(common + "&consumer=b").process(e -> {
                    runs.merge(e.getIn().getHeader(RedisStreamsConstants.ENTRY_ID, String.class), 1, Integer::sum);
                    Thread.sleep(1200); // the same long resize
                });
            }
        });
        xadd(KEY, "file_id", "789", "action", "resize");
        await("processed and acked").atMost(Duration.ofSeconds(10)).until(() -> !runs.isEmpty() && pendingCount(KEY, GROUP) == 0);
        return runs;
    }

    @Test
    void aLongRunningEntryIsProcessedExactlyOnceWithKeepAlive() throws Exception {
        Map<String, Integer> runs = runSlowJob(""); // default keepAliveInterval = minIdleTime / 2
        // time for a stolen second run to show
        Await.assertionHolds("processed once", Duration.ofMillis(300),
                () -> assertEquals(List.of(1), List.copyOf(runs.values()), "processed once: " + runs));
    }

    @Test
    void aRunningEntrysIdleTimeStaysWellBelowMinIdleTime() throws Exception {
        // minIdleTime 1000 ms, keep-alive every 500 ms; ten slow jobs taken up at different points of that interval
        CountDownLatch finish = new CountDownLatch(1);
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("redis-streams:" + KEY + "?group=" + GROUP + "&consumer=a&block=20&count=10&concurrency=10&minIdleTime=1000"
                     + "&claimInterval=0").process(e -> finish.await(10, TimeUnit.SECONDS));
            }
        });
        for (int i = 0; i < 10; i++) {
            xadd(KEY, "file_id", Integer.toString(i));
            Thread.sleep(45); // entries read one by one, spread over the keep-alive interval
        }
        long maxIdle = 0;
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(2200);
        while (System.nanoTime() < until) {
            for (var entry : pending(KEY, GROUP)) {
                maxIdle = Math.max(maxIdle, entry.getIdleTime());
            }
            Thread.sleep(20); // sampling the idle times XPENDING reports
        }
        assertEquals(10, pending(KEY, GROUP).size(), "all ten were running meanwhile");
        finish.countDown();
        assertTrue(maxIdle < 800, "an entry still running was idle " + maxIdle + " ms, close to minIdleTime (1000 ms)");
        await("all acked").atMost(Duration.ofSeconds(5)).until(() -> pendingCount(KEY, GROUP) == 0);
    }

    @Test
    void withoutKeepAliveTheSameLongEntryIsStolenAndRunsTwice() throws Exception {
        Map<String, Integer> runs = runSlowJob("&keepAliveInterval=0");
        await("the control case shows the failure keep-alive prevents: a stolen second run").atMost(Duration.ofSeconds(2))
                .until(() -> runs.values().iterator().next() >= 2);
    }

    @Test
    void consumerTimeoutRemovesIdleConsumersWithoutPendingEntriesOnly() throws Exception {
        jedis.xgroupCreate(KEY, GROUP, new StreamEntryID(0, 0), true);
        xadd(KEY, "file_id", "1");
        jedis.xreadGroup(GROUP, "gone-with-pending", XReadGroupParams.xReadGroupParams().count(1),
                Map.of(KEY, StreamEntryID.XREADGROUP_UNDELIVERED_ENTRY));
        jedis.xreadGroup(GROUP, "gone-idle", XReadGroupParams.xReadGroupParams().count(1),
                Map.of(KEY, StreamEntryID.XREADGROUP_UNDELIVERED_ENTRY));
        Thread.sleep(600); // both consumers become idle
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("redis-streams:" + KEY + "?group=" + GROUP + "&consumer=worker-1&block=50&claimInterval=0&consumerTimeout=500")
                        .to("mock:done");
            }
        });
        await("idle consumer removed").atMost(Duration.ofSeconds(5))
                .until(() -> consumers().equals(List.of("gone-with-pending", "worker-1")));
        // more cleanup sweeps: the others must stay
        Await.holds("never removes one with pending entries, nor itself", Duration.ofMillis(1200),
                () -> consumers().equals(List.of("gone-with-pending", "worker-1")) && pendingCount(KEY, GROUP) == 1);
    }

    private List<String> consumers() {
        return jedis.xinfoConsumers(KEY, GROUP).stream().map(StreamConsumerInfo::getName).sorted().toList();
    }

    @Test
    void aDestroyedGroupIsRecreatedAndReadingGoesOn() throws Exception {
        AtomicInteger processed = new AtomicInteger();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("redis-streams:" + KEY + "?group=" + GROUP + "&consumer=worker-1&block=50&startId=$").process(e -> processed.incrementAndGet());
            }
        });
        // the reading thread creates the group at $ on its own: an entry added before that is rightly never delivered
        await("group created").atMost(Duration.ofSeconds(5)).until(() -> jedis.exists(KEY) && !jedis.xinfoGroups(KEY).isEmpty());
        xadd(KEY, "n", "1");
        await("first").atMost(Duration.ofSeconds(5)).until(() -> processed.get() == 1);
        jedis.xgroupDestroy(KEY, GROUP);
        await("group re-created").atMost(Duration.ofSeconds(5)).until(() -> !jedis.xinfoGroups(KEY).isEmpty());
        xadd(KEY, "n", "2");
        await("reading goes on").atMost(Duration.ofSeconds(5)).until(() -> processed.get() == 2);
        assertEquals(2, processed.get(), "re-created at startId=$: the old entry is not delivered again");
    }

    @Test
    void aMissingGroupWithCreateGroupFalseMakesTheConsumerUnhealthy() throws Exception {
        xadd(KEY, "n", "1");
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("redis-streams:" + KEY + "?group=" + GROUP + "&consumer=worker-1&block=50&createGroup=false").to("mock:done");
            }
        });
        await("DOWN with the reason").atMost(Duration.ofSeconds(5)).until(() -> {
            var result = HealthCheckHelper.invokeReadiness(context).stream()
                    .filter(r -> r.getCheck().getId().startsWith("consumer:")).findFirst().orElseThrow();
            return result.getState() == HealthCheck.State.DOWN
                   && result.getMessage().orElse("").contains("does not exist on stream 'media:tasks' and createGroup=false");
        });
        assertTrue(jedis.xinfoGroups(KEY).isEmpty(), "not created");
    }

    @Test
    void aFailingKeepAliveReachesTheConsumersExceptionHandlerOncePerKindOfFailure() throws Exception {
        RecordingExceptionHandler recorder = new RecordingExceptionHandler();
        List<String> reported = recorder.messages;
        context.getRegistry().bind("recorder", recorder);
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("redis-streams:" + KEY + "?group=" + GROUP + "&consumer=a&block=50&minIdleTime=2000&keepAliveInterval=100"
                     + "&exceptionHandler=#recorder").process(e -> {
                         started.countDown();
                         finish.await(20, TimeUnit.SECONDS); // a slow job: its reader reads nothing meanwhile
                     });
            }
        });
        xadd(KEY, "file_id", "789", "action", "resize");
        assertTrue(started.await(10, TimeUnit.SECONDS));
        // the stream is replaced while the job runs: only the keep-alive sees it
        jedis.del(KEY);
        jedis.set(KEY, "not a stream");
        try {
            await("the failing keep-alive is reported").atMost(Duration.ofSeconds(10))
                    .until(() -> reported.stream().anyMatch(m -> m.startsWith("Keep-alive")));
            // rounds every 100 ms go on failing alike: still one report
            await("no report per round").during(Duration.ofMillis(700)).atMost(Duration.ofSeconds(3))
                    .until(() -> reported.stream().filter(m -> m.startsWith("Keep-alive")).count() == 1);
            String report = reported.stream().filter(m -> m.startsWith("Keep-alive")).findFirst().orElseThrow();
            assertTrue(report.contains("WRONGTYPE") && report.contains(KEY), report);
        } finally {
            finish.countDown();
        }
    }
}
