package io.streamroutes.component.redisstreams;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import org.apache.camel.CamelContext;
import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.engine.PrototypeExchangeFactory;
import org.apache.camel.spi.ExchangeFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.resps.StreamPendingEntry;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An entry whose exchange cannot even be built (Camel's ExchangeFactory throws, as a broken or exhausted pool would),
 * against a real Redis: the failure reaches the consumer's ExceptionHandler once with the entry id, the entry
 * stays pending and comes back through the XAUTOCLAIM take-over, its in-flight place is free again, and the consumer
 * goes on with the following entries; on the reading thread and on worker threads.
 */
class RedisStreamsDispatchFailureTest extends RedisStreamsTestSupport {

    private static final String KEY = "integration:tasks";
    private static final String GROUP = "integration-workers";
    private static final String ROUTE = "worker";

    /** Creates left to refuse; the consumers' exchange factories count it down. */
    private final AtomicInteger refusalsLeft = new AtomicInteger();
    private final RecordingExceptionHandler recorder = new RecordingExceptionHandler();
    /** Entry id to the delivery counts the route saw. */
    private final Map<String, List<Long>> calls = new ConcurrentHashMap<>();

    /** Camel's default factory, but each consumer's factory refuses to create on demand. */
    private final class FaultyExchangeFactory extends PrototypeExchangeFactory {

        FaultyExchangeFactory(Consumer consumer) {
            super(consumer);
        }

        @Override
        public ExchangeFactory newExchangeFactory(Consumer consumer) {
            FaultyExchangeFactory factory = new FaultyExchangeFactory(consumer);
            factory.setCamelContext(getCamelContext());
            return factory;
        }

        @Override
        public Exchange create(Endpoint fromEndpoint, boolean autoRelease) {
            if (refusalsLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                throw new IllegalStateException("exchange pool exhausted");
            }
            return super.create(fromEndpoint, autoRelease);
        }
    }

    @Override
    protected CamelContext createCamelContext() throws Exception {
        CamelContext context = super.createCamelContext();
        context.getCamelContextExtension().setExchangeFactory(new FaultyExchangeFactory(null));
        context.getRegistry().bind("recorder", recorder);
        return context;
    }

    private RedisStreamsConsumer streamConsumer() {
        return (RedisStreamsConsumer) context.getRoute(ROUTE).getConsumer();
    }

    /** With count=1 the window is {@code concurrency} places; as many refusals as places would take them all. */
    @ParameterizedTest(name = "concurrency={0}")
    @ValueSource(ints = {1, 3})
    void anEntryWhoseExchangeCannotBeBuiltStaysPendingAndFreesItsPlace(int concurrency) throws Exception {
        refusalsLeft.set(concurrency);
        reportedPendingAndDeliveredAgain(concurrency, "exchange pool exhausted");
    }

    /**
     * The first {@code concurrency} entries fail before their exchange reaches the route: each is reported once with
     * its id and stays pending; three entries added next are processed; the failed ones come back once by the
     * take-over (delivery 2); everything is acked and no place of the window stays taken.
     */
    private void reportedPendingAndDeliveredAgain(int concurrency, String failure) throws Exception {
        jedis.xgroupCreate(KEY, GROUP, new StreamEntryID(0, 0), true);
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("redis-streams:" + KEY + "?group=" + GROUP + "&consumer=worker-1&block=100&count=1&concurrency=" + concurrency
                     + "&minIdleTime=1500&claimInterval=300&exceptionHandler=#recorder")
                        .routeId(ROUTE)
                        .process(exchange -> calls.computeIfAbsent(exchange.getMessage().getHeader(RedisStreamsConstants.ENTRY_ID,
                                String.class), id -> new CopyOnWriteArrayList<>()).add(exchange.getMessage()
                                .getHeader(RedisStreamsConstants.DELIVERY_COUNT, Long.class)));
            }
        });
        List<String> failed = new ArrayList<>();
        for (int i = 0; i < concurrency; i++) {
            failed.add(xadd(KEY, "n", "failed-" + i));
        }

        await("each failure reported").atMost(Duration.ofSeconds(10)).until(() -> recorder.messages.size() >= concurrency);
        Set<String> pendingIds = pending(KEY, GROUP).stream().map(StreamPendingEntry::getID).map(Object::toString)
                .collect(Collectors.toSet());
        assertTrue(pendingIds.containsAll(failed), "not acked, still pending: " + pendingIds + " of " + failed);
        List<String> following = List.of(xadd(KEY, "n", "a"), xadd(KEY, "n", "b"), xadd(KEY, "n", "c"));
        await("the following entries processed, the failed ones delivered again, all acked, the window free again")
                .atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertTrue(calls.keySet().containsAll(following) && calls.keySet().containsAll(failed)
                                                && pendingCount(KEY, GROUP) == 0 && streamConsumer().getPendingExchangesSize() == 0,
                        "processed " + calls + ", pending " + pendingCount(KEY, GROUP) + ", in flight or unwritten "
                        + streamConsumer().getPendingExchangesSize()));

        for (String id : failed) {
            assertEquals(1, recorder.messages.stream().filter(m -> m.contains(id)).count(),
                    "reported once with its id: " + id + " in " + recorder.messages);
        }
        for (String id : failed) {
            assertEquals(List.of(2L), calls.get(id), "delivered again once, by the take-over: " + id);
        }
        for (String id : following) {
            assertEquals(List.of(1L), calls.get(id), "a first delivery: " + id);
        }
        assertEquals(concurrency, recorder.messages.size(), "nothing else reported: " + recorder.messages);
        assertTrue(recorder.exceptions.stream().allMatch(e -> failure.equals(e.getMessage())), recorder.exceptions.toString());
        assertTrue(streamConsumer().isHealthy(), "the reading loop never saw the failure: " + streamConsumer().getProblem());
    }
}
