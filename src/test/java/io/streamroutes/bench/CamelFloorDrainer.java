package io.streamroutes.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.streamroutes.component.redisstreams.EntryMessages;
import io.streamroutes.component.redisstreams.client.StreamEntry;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePropertyKey;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.spi.Synchronization;
import org.apache.camel.support.DefaultConsumer;

/**
 * The "Camel floor": what Camel's own handling of one exchange per entry costs, without Redis. The same route as
 * {@link RouteDrainer} (same context settings, same trivial processor) behind a {@code direct:} endpoint whose consumer
 * one thread drives as the component's {@code EntryDispatcher} drives its consumer: per entry of a list built before
 * the measured span, {@code createExchange(false)}, the component's own message (map body, lazily populated headers),
 * the three batch properties, an on-completion that only counts, {@code getAsyncProcessor().process(exchange, callback)}
 * and {@code releaseExchange} in the callback. Its CPU per entry added to the raw loop's is the least a consumer that
 * makes one Camel exchange per entry can use here.
 */
final class CamelFloorDrainer implements Drainer {

    static final String ID = "camel-floor";
    private static final String ROUTE_ID = "bench-floor";

    private record Entry(StreamEntry entry, Map<String, String> fields) {
    }

    private CamelContext context;
    private ExecutorService thread;
    private List<Entry> entries;
    private String key;
    private Future<?> feeding;
    /** Written by the feeding thread only; read after it finished. */
    private long completed;

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String name() {
        return "Camel floor: same route, no Redis";
    }

    @Override
    public boolean readsStream() {
        return false;
    }

    @Override
    public void prepare(String key, EntrySink sink) throws Exception {
        this.key = key;
        int count = Math.toIntExact(sink.expected());
        entries = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            entries.add(new Entry(new StreamEntry("1700000000000-" + i, List.of()), BenchStreams.fields(i)));
        }
        context = ApplicationCamelSettings.newContext();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:" + ID).routeId(ROUTE_ID).autoStartup(false).process(RouteDrainer.processing(sink));
            }
        });
        context.start();
        thread = context.getExecutorServiceManager().newSingleThreadExecutor(this, ID);
    }

    @Override
    public void start() throws Exception {
        context.getRouteController().startRoute(ROUTE_ID);
        DefaultConsumer consumer = (DefaultConsumer) context.getRoute(ROUTE_ID).getConsumer();
        // the thread stays alive, idle, until close: ThreadCpu counts only threads that still run when it is read
        feeding = thread.submit(() -> feed(consumer));
    }

    private void feed(DefaultConsumer consumer) {
        int size = entries.size();
        for (int i = 0; i < size; i++) {
            int batchStart = i - i % RawJedisDrainer.COUNT; // batches like the drains' reads of COUNT entries
            dispatch(consumer, entries.get(i), i - batchStart, Math.min(RawJedisDrainer.COUNT, size - batchStart));
        }
    }

    private void dispatch(DefaultConsumer consumer, Entry entry, int index, int size) {
        Exchange exchange = consumer.createExchange(false);
        exchange.setIn(EntryMessages.firstDelivery(exchange, key, entry.entry(), entry.fields(), BenchStreams.GROUP, "floor"));
        exchange.setProperty(ExchangePropertyKey.BATCH_INDEX, index);
        exchange.setProperty(ExchangePropertyKey.BATCH_SIZE, size);
        exchange.setProperty(ExchangePropertyKey.BATCH_COMPLETE, index == size - 1);
        exchange.getExchangeExtension().addOnCompletion(new Counting());
        try {
            consumer.getAsyncProcessor().process(exchange, doneSync -> consumer.releaseExchange(exchange, false));
        } catch (RuntimeException e) {
            consumer.getExceptionHandler().handleException("Error dispatching entry " + entry.entry().id(), exchange, e);
        }
    }

    /** Stands for the component's AckOnCompletion: one object per exchange, here counting instead of queuing an ack. */
    private final class Counting implements Synchronization {
        @Override
        public void onComplete(Exchange exchange) {
            completed++;
        }

        @Override
        public void onFailure(Exchange exchange) {
            // not counted: close() reports the shortfall
        }
    }

    @Override
    public void close() throws Exception {
        try {
            if (feeding != null) {
                feeding.get(30, TimeUnit.SECONDS);
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("the Camel floor's feeding thread failed", e.getCause());
        } finally {
            if (context != null) {
                context.stop(); // shuts its thread down too
            }
        }
        if (feeding != null && completed != entries.size()) {
            throw new IllegalStateException("Camel floor: " + completed + " of " + entries.size() + " exchanges completed");
        }
    }
}
