package io.streamroutes.component.redisstreams;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.streamroutes.component.redisstreams.client.RedisErrors;
import io.streamroutes.testsupport.Await;
import io.streamroutes.testsupport.EmbeddedRedisExtension.AppendOnlyFile;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Redis restarts, health and graceful stop, against a real Redis with an fsynced append-only file. */
@AppendOnlyFile // a restart keeps the data
class RedisStreamsResilienceTest extends RedisStreamsTestSupport {

    private static final String KEY = "media:tasks";
    private static final String GROUP = "media-workers";

    @Override
    protected org.apache.camel.CamelContext createCamelContext() throws Exception {
        org.apache.camel.CamelContext context = super.createCamelContext();
        addHealthChecks(context);
        return context;
    }

    private HealthCheck.Result consumerHealth() {
        var results = HealthCheckHelper.invokeReadiness(context);
        return results.stream()
                .filter(r -> r.getCheck().getId().startsWith("consumer:"))
                .findFirst().orElseThrow(() -> new AssertionError("no consumer check in " + results.stream().map(r -> r.getCheck().getId()).toList()));
    }

    @Test
    void aRedisRestartMidConsumptionLosesNothing() throws Exception {
        Map<String, Integer> processed = new ConcurrentHashMap<>();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                // minIdleTime is long: recovery must not depend on XAUTOCLAIM
                from("redis-streams:" + KEY + "?group=" + GROUP + "&consumer=worker-1&block=100&count=5&minIdleTime=600000")
                        .routeId("media")
                        .process(e -> {
                            Thread.sleep(2); // a step that takes time, so the restart falls mid-consumption
                            processed.merge(e.getIn().getBody(Map.class).get("file_id").toString(), 1, Integer::sum);
                        });
            }
        });
        for (int i = 0; i < 300; i++) {
            xadd(KEY, "user_id", "456", "file_id", Integer.toString(i), "action", "resize");
        }
        await("consumption under way").atMost(Duration.ofSeconds(10)).until(() -> processed.size() >= 50);
        await("health UP").atMost(Duration.ofSeconds(5)).until(() -> consumerHealth().getState() == HealthCheck.State.UP);

        jedis.close();
        redis.stopServer();
        await("health DOWN while Redis is away").atMost(Duration.ofSeconds(5))
                .until(() -> consumerHealth().getState() == HealthCheck.State.DOWN);
        String message = consumerHealth().getMessage().orElse("");
        assertTrue(message.contains("Redis unreachable"), message);
        Thread.sleep(500); // an outage that lasts: the consumer keeps failing to read meanwhile
        redis.startServer();
        jedis = newJedis();
        for (int i = 300; i < 400; i++) {
            xadd(KEY, "user_id", "456", "file_id", Integer.toString(i), "action", "resize");
        }
        await("every entry processed").atMost(Duration.ofSeconds(20)).until(() -> processed.size() == 400);
        await("nothing left pending").atMost(Duration.ofSeconds(5)).until(() -> pendingCount(KEY, GROUP) == 0);
        await("health UP again").atMost(Duration.ofSeconds(5)).until(() -> consumerHealth().getState() == HealthCheck.State.UP);
        long duplicates = processed.values().stream().filter(c -> c > 1).count();
        assertTrue(duplicates <= 5, "duplicates beyond one read batch: " + duplicates);
    }

    @Test
    void healthIsDownUntilRedisCanBeReachedAtStart() throws Exception {
        redis.stopServer();
        try {
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("redis-streams:" + KEY + "?group=" + GROUP + "&consumer=worker-1&block=100").routeId("media").to("mock:done");
                }
            });
            assertEquals(HealthCheck.State.DOWN, consumerHealth().getState(), "starts without Redis, not ready");
        } finally {
            redis.startServer();
        }
        jedis = newJedis();
        await("ready once Redis is there").atMost(Duration.ofSeconds(10)).until(() -> consumerHealth().getState() == HealthCheck.State.UP);
        xadd(KEY, "file_id", "1", "action", "resize");
        getMockEndpoint("mock:done").expectedMessageCount(1);
        getMockEndpoint("mock:done").assertIsSatisfied(5000);
    }

    @Test
    void aGracefulStopFinishesInFlightExchangesAndFlushesTheirAcks() throws Exception {
        Set<String> completed = ConcurrentHashMap.newKeySet();
        AtomicInteger started = new AtomicInteger();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("redis-streams:" + KEY + "?group=" + GROUP + "&consumer=worker-1&block=100&count=5").routeId("media")
                        .process(e -> {
                            started.incrementAndGet();
                            Thread.sleep(100); // a slow step, so the stop finds exchanges in flight
                            completed.add(e.getIn().getHeader(RedisStreamsConstants.ENTRY_ID, String.class));
                        });
            }
        });
        for (int i = 0; i < 20; i++) {
            xadd(KEY, "file_id", Integer.toString(i), "action", "resize");
        }
        await("processing started").atMost(Duration.ofSeconds(5)).until(() -> started.get() >= 2);
        context.getRouteController().stopRoute("media");
        List<String> stillPending = pending(KEY, GROUP).stream().map(p -> p.getID().toString()).toList();
        for (String id : completed) {
            assertTrue(!stillPending.contains(id), "completed entry " + id + " was not acked before stop returned");
        }
        assertTrue(completed.size() < 20, "stop did not wait for the whole backlog");
        int startedByTheStop = started.get();
        Await.holds("no late exchange starts after the stop", Duration.ofMillis(300), () -> started.get() == startedByTheStop);
        assertEquals(completed.size(), started.get(), "every exchange that started also completed during the stop");
    }

    @Test
    void withBridgeErrorHandlerTheRouteErrorHandlerSeesAnOutageOnce() throws Exception {
        MockEndpoint errors = getMockEndpoint("mock:errors");
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                errorHandler(deadLetterChannel("mock:errors"));
                from("redis-streams:" + KEY + "?group=" + GROUP + "&consumer=worker-1&block=100&bridgeErrorHandler=true")
                        .routeId("media").to("mock:done");
            }
        });
        await("health UP").atMost(Duration.ofMillis(5000)).until(() -> consumerHealth().getState() == HealthCheck.State.UP);
        jedis.close();
        redis.stopServer();
        try {
            await("the outage reaches the route's error handler").atMost(Duration.ofSeconds(10))
                    .until(() -> errors.getReceivedCounter() >= 1);
            // the reader retries with backoff 100, 200, 400, 800 ms meanwhile: one report per outage, not one per retry
            await().during(Duration.ofMillis(2000)).atMost(Duration.ofSeconds(5))
                    .until(() -> errors.getReceivedCounter() == 1);
            HealthCheck.Result down = consumerHealth();
            assertEquals(HealthCheck.State.DOWN, down.getState());
            assertTrue(down.getError().filter(RedisErrors::isConnectionFailure).isPresent(),
                    "the health check carries the exception: " + down.getError());
        } finally {
            redis.startServer();
        }
        jedis = newJedis();
        Exception reported = errors.getExchanges().get(0).getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        assertTrue(RedisErrors.isConnectionFailure(reported), "a connection failure: " + reported);
        getMockEndpoint("mock:done").expectedMessageCount(1);
        xadd(KEY, "file_id", "1", "action", "resize");
        getMockEndpoint("mock:done").assertIsSatisfied(10000);
        await("health UP again").atMost(Duration.ofMillis(5000)).until(() -> consumerHealth().getState() == HealthCheck.State.UP);
        assertTrue(consumerHealth().getError().isEmpty(), "no error once reading again");
    }

    @Test
    void theShutdownStrategyIsToldWhatIsInFlightAndWaitsForIt() throws Exception {
        for (int i = 0; i < 6; i++) {
            xadd(KEY, "file_id", Integer.toString(i), "action", "resize"); // there before the first read: it takes 3
        }
        CountDownLatch release = new CountDownLatch(1);
        List<String> started = new java.util.concurrent.CopyOnWriteArrayList<>();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("redis-streams:" + KEY + "?group=" + GROUP + "&consumer=worker-1&block=100&count=3").routeId("media")
                        .process(e -> {
                            started.add(e.getIn().getHeader(RedisStreamsConstants.ENTRY_ID, String.class));
                            release.await(10, TimeUnit.SECONDS);
                        });
            }
        });
        await("first exchange running").atMost(Duration.ofMillis(5000)).until(() -> started.size() == 1);
        RedisStreamsConsumer consumer = (RedisStreamsConsumer) context.getRoute("media").getConsumer();
        assertEquals(3, consumer.getPendingExchangesSize(), "the running exchange and the two waiting behind it in its batch");
        assertEquals(1, context.getInflightRepository().size("media"), "Camel itself sees only the running one");

        CompletableFuture<Void> stop = CompletableFuture.runAsync(() -> {
            try {
                context.getRouteController().stopRoute("media");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(3)).until(() -> !stop.isDone());
        release.countDown();
        stop.get(20, TimeUnit.SECONDS);
        assertEquals(3, started.size(), "the batch in hand completes; nothing new is read once the shutdown began");
        // (the next batch, read ahead meanwhile, is released pending for others: only what ran must be acked)
        List<String> stillPending = pending(KEY, GROUP).stream().map(p -> p.getID().toString()).toList();
        for (String id : started) {
            assertTrue(!stillPending.contains(id), "entry " + id + " ran but was not acked before the stop returned");
        }
        assertEquals(0, consumer.getPendingExchangesSize());
    }
}
