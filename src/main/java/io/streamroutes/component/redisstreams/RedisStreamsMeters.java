package io.streamroutes.component.redisstreams;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.streamroutes.component.redisstreams.client.PendingSummary;
import io.streamroutes.component.redisstreams.client.ScheduledEntries;

/**
 * The Micrometer meters of one consumer endpoint (Prometheus names {@code redis_streams_*}, tags {@code stream},
 * {@code group}, {@code routeId}). Registered when the consumer starts and removed when it stops, so a restarted
 * route's new consumer is the one scraped (Micrometer ignores a second registration of the same name and tags); the
 * counters read the component's statistics of that stream, group and route, which carry on across restarts.
 * One more figure of the consumer = one more line in {@link #register}.
 */
final class RedisStreamsMeters implements AutoCloseable {

    /** How long a reading from Redis serves the meters of one scrape (the pending and the scheduled pairs). */
    static final long SCRAPE_MILLIS = 1000;

    private final MeterRegistry registry;
    private final List<Meter> meters = new ArrayList<>();

    private RedisStreamsMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Binds the consumer's meters to the context's meter registry (camel.metrics.enabled); null when there is none. */
    static RedisStreamsMeters bindIfRegistry(RedisStreamsConsumer consumer) {
        MeterRegistry registry = consumer.getEndpoint().getCamelContext().getRegistry().findSingleByType(MeterRegistry.class);
        if (registry == null) {
            return null;
        }
        RedisStreamsMeters meters = new RedisStreamsMeters(registry);
        meters.register(consumer);
        return meters;
    }

    private void register(RedisStreamsConsumer consumer) {
        RedisStreamsConfiguration config = consumer.getEndpoint().getConfiguration();
        Tags tags = Tags.of("stream", consumer.getEndpoint().getStreamKey(), "group", String.valueOf(config.getGroup()),
                "routeId", String.valueOf(consumer.getRouteId()));
        RedisStreamsStatistics stats = consumer.getStatistics();
        counter("redis.streams.delivered", "entries handed to the route", tags, stats, RedisStreamsStatistics::getDelivered);
        counter("redis.streams.acked", "entries acknowledged", tags, stats, RedisStreamsStatistics::getAcked);
        counter("redis.streams.failed", "exchanges that failed", tags, stats, RedisStreamsStatistics::getFailed);
        counter("redis.streams.claimed", "entries taken over with XAUTOCLAIM", tags, stats, RedisStreamsStatistics::getClaimed);
        counter("redis.streams.dead.lettered", "entries moved to the dead-letter stream", tags, stats,
                RedisStreamsStatistics::getDeadLettered);
        // figures read from Redis at each scrape (a few commands); NaN while Redis is unreachable
        ManagedRedisStreamsConsumer view = new ManagedRedisStreamsConsumer(consumer);
        if (config.getGroup() != null) {
            // one XPENDING per scrape for both figures
            RecentReading<PendingSummary> pending = new RecentReading<>(view::pendingSummary, SCRAPE_MILLIS, consumer.getClock()::millis);
            gauge("redis.streams.pending", "entries delivered to the group and not acknowledged", null, tags, view,
                    v -> pending.get().count());
            gauge("redis.streams.oldest.pending.age", "how long ago the oldest pending entry was added to the stream, 0 when none is pending",
                    "seconds", tags, view, v -> pending.get().oldestAgeMillis(consumer.getClock().millis()) / 1000.0);
            gauge("redis.streams.lag", "entries not yet delivered to the group", null, tags, view, ManagedRedisStreamsConsumer::getGroupLag);
        }
        if (config.getGroup() != null) {
            // the consumer's own job control, from memory
            gauge("redis.streams.retry.waiting", "entries that failed and wait for their next delivery", null, tags, view,
                    v -> consumer.getRetryWaiting());
            gauge("redis.streams.next.retry.timestamp", "when the next waiting entry is due (epoch), 0 when none waits", "seconds",
                    tags, view, v -> consumer.getNextRetryAtMillis() / 1000.0);
            gauge("redis.streams.paused", "1 while a route's Retry-After pauses the consumer, else 0", null, tags, view,
                    v -> consumer.getPausedUntilMillis() > 0 ? 1 : 0);
            if (config.isLimitedPerKey()) {
                gauge("redis.streams.key.waiting", "entries waiting for a slot of their concurrencyKey", null, tags, view,
                        v -> consumer.getKeyWaiting());
            }
        }
        // entries scheduled for later (ZCARD and the first score of the stream's :scheduled set), one reading per scrape
        RecentReading<ScheduledEntries.Figures> scheduled = new RecentReading<>(view::scheduled, SCRAPE_MILLIS, consumer.getClock()::millis);
        gauge("redis.streams.scheduled", "entries scheduled for later delivery to the stream", null, tags, view,
                v -> scheduled.get().count());
        gauge("redis.streams.next.scheduled.timestamp", "when the next scheduled entry is due (epoch), 0 when none is", "seconds",
                tags, view, v -> scheduled.get().nextDueAtMillis() / 1000.0);
        if (config.getDeadLetterStream() != null) {
            gauge("redis.streams.dead.letter.length", "entries in the dead-letter stream", null, tags, view,
                    ManagedRedisStreamsConsumer::getDeadLetterLength);
        }
    }

    private void counter(String name, String description, Tags tags, RedisStreamsStatistics stats,
                         ToDoubleFunction<RedisStreamsStatistics> value) {
        meters.add(FunctionCounter.builder(name, stats, value).description(description).tags(tags).register(registry));
    }

    private void gauge(String name, String description, String baseUnit, Tags tags, ManagedRedisStreamsConsumer view,
                       ToDoubleFunction<ManagedRedisStreamsConsumer> value) {
        // strongly held: Micrometer keeps a weak reference by default and nothing else holds the view (NaN after a GC)
        meters.add(Gauge.builder(name, view, v -> orNaN(v, value)).strongReference(true).description(description).baseUnit(baseUnit)
                .tags(tags).register(registry));
    }

    private static double orNaN(ManagedRedisStreamsConsumer view, ToDoubleFunction<ManagedRedisStreamsConsumer> value) {
        try {
            return value.applyAsDouble(view);
        } catch (RuntimeException redisUnreachable) {
            return Double.NaN;
        }
    }

    @Override
    public void close() {
        meters.forEach(registry::remove);
        meters.clear();
    }
}
