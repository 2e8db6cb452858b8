package io.streamroutes.component.redisstreams;

import io.streamroutes.component.redisstreams.consumer.ScheduledEntriesMover;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.management.ObjectName;

import io.streamroutes.component.redisstreams.client.GroupConsumer;
import io.streamroutes.component.redisstreams.client.RedisStreamsClient;
import io.streamroutes.component.redisstreams.client.StreamEntry;
import io.streamroutes.component.redisstreams.consumer.ConsumerErrorReporter;
import io.streamroutes.component.redisstreams.consumer.ConsumerMaintenance;
import io.streamroutes.component.redisstreams.consumer.ReaderOwner;
import io.streamroutes.component.redisstreams.consumer.StreamReader;
import io.streamroutes.component.redisstreams.consumer.errorhandler.ConsumerPause;
import org.apache.camel.Exchange;
import org.apache.camel.Expression;
import org.apache.camel.Processor;
import org.apache.camel.ShutdownRunningTask;
import org.apache.camel.spi.ManagementAgent;
import org.apache.camel.spi.ShutdownAware;
import org.apache.camel.support.DefaultConsumer;
import org.apache.camel.util.URISupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a stream, with a consumer group (XREADGROUP, ack on success, retry schedule, XAUTOCLAIM, dead-letter) or as a
 * plain reader (XREAD from {@code startId}), on {@code concurrentConsumers} reading threads from Camel's thread pool;
 * with {@code concurrency} above 1 the exchanges run on a pool of worker threads, {@code concurrency} per reader.
 */
public class RedisStreamsConsumer extends DefaultConsumer implements ShutdownAware, ReaderOwner {

    private static final Logger LOG = LoggerFactory.getLogger(RedisStreamsConsumer.class);

    private volatile RedisStreamsStatistics statistics = new RedisStreamsStatistics();
    private final List<StreamReader> readers = new ArrayList<>();
    private final ConsumerPause pause = new ConsumerPause();
    private final Clock clock = Clock.systemUTC();
    private ExecutorService executor;
    private ExecutorService workers;
    private ExecutorService readAheadIo;
    private ScheduledExecutorService maintenance;
    private ScheduledExecutorService scheduledMover;
    private ObjectName mbeanName;
    private RedisStreamsMeters meters;
    /** The concurrencyKey expression when entries are limited per key, else null. */
    private volatile Expression concurrencyKey;

    public RedisStreamsConsumer(RedisStreamsEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
    }

    @Override
    public RedisStreamsEndpoint getEndpoint() {
        return (RedisStreamsEndpoint) super.getEndpoint();
    }

    public RedisStreamsStatistics getStatistics() {
        return statistics;
    }

    /** The time source of retries and pauses. */
    public Clock getClock() {
        return clock;
    }

    public ConsumerPause getPause() {
        return pause;
    }

    /** Entries waiting for their next delivery, over all reading threads. */
    public int getRetryWaiting() {
        return readers.stream().mapToInt(reader -> reader.retries().size()).sum();
    }

    /** Entries waiting for a slot of their concurrencyKey, over all reading threads. */
    public int getKeyWaiting() {
        return readers.stream().mapToInt(StreamReader::keyWaiting).sum();
    }

    /** When the earliest waiting entry is due (epoch ms), or 0 when none waits. */
    public long getNextRetryAtMillis() {
        long next = readers.stream().mapToLong(reader -> reader.retries().nextDueAtMillis()).min().orElse(Long.MAX_VALUE);
        return next == Long.MAX_VALUE ? 0 : next;
    }

    /** When the pause a route asked for ends (epoch ms), or 0 when none is in force. */
    public long getPausedUntilMillis() {
        return pause.remainingMillis(clock.millis()) > 0 ? pause.untilMillis() : 0;
    }

    /** Why the consumer is paused, or null when it is not. */
    public String getPauseReason() {
        return pause.reason(clock.millis());
    }

    /** Why the consumer waits for replicas that do not confirm writes (readiness DOWN), or null when it does not. */
    public String getReplicasMissing() {
        return pause.replicasMissing();
    }

    /** Names of the consumers this endpoint reads as, one per thread. */
    public List<String> getConsumerNames() {
        return readers.stream().map(StreamReader::getName).toList();
    }

    /** True once every reading thread has read successfully and none currently fails. */
    public boolean isHealthy() {
        return !readers.isEmpty() && readers.stream().allMatch(reader -> reader.health().isHealthy());
    }

    /** Why the consumer is not healthy, or null. */
    public String getProblem() {
        return readers.stream().map(reader -> reader.health().getProblem()).filter(p -> p != null).findFirst().orElse(null);
    }

    /** The exception behind {@link #getProblem()}, or null. */
    public Exception getLastError() {
        return readers.stream().map(reader -> reader.health().getLastError()).filter(e -> e != null).findFirst().orElse(null);
    }

    /** Hands an error of the consumer itself (not of an exchange) to its ExceptionHandler ({@link ConsumerErrorReporter}). */
    public void reportError(String message, Exception e) {
        new ConsumerErrorReporter(this::getExceptionHandler, "Stream '" + getEndpoint().getStreamKey() + "'").accept(message, e);
    }

    @Override
    public RedisStreamsConfiguration getConfiguration() {
        return getEndpoint().getConfiguration();
    }

    @Override
    public String getStreamKey() {
        return getEndpoint().getStreamKey();
    }

    @Override
    public RedisStreamsClient newClient() {
        return getEndpoint().newClient();
    }

    /** An exchange of this consumer (pooled when the context pools them) carrying one delivery of the entry. */
    @Override
    public Exchange createExchange(GroupConsumer reader, StreamEntry entry, Map<String, String> body, long deliveryCount) {
        Exchange exchange = createExchange(false);
        exchange.setIn(new RedisStreamsMessage(exchange, reader, entry, body, deliveryCount));
        return exchange;
    }

    @Override
    public String concurrencyKey(GroupConsumer reader, StreamEntry entry, Map<String, String> body, long deliveryCount) {
        Expression expression = concurrencyKey;
        if (expression == null) {
            return null;
        }
        Exchange exchange = createExchange(reader, entry, body, deliveryCount);
        try {
            String key = expression.evaluate(exchange, String.class);
            return key == null || key.isEmpty() ? null : key;
        } catch (RuntimeException e) {
            // an expression that fails for an entry must not stop the reader: the entry runs, not limited, and it is reported
            getExceptionHandler().handleException("concurrencyKey could not be evaluated for entry " + entry.id()
                                                  + "; it runs without the per-key limit", exchange, e);
            return null;
        } finally {
            releaseExchange(exchange, false);
        }
    }

    @Override
    public boolean isBatching() {
        return getEndpoint().getConfiguration().isBatching();
    }

    /** The exchange of one batch: the entries' exchanges as body, the stream (and group and consumer) as headers. */
    @Override
    public Exchange createBatchExchange(GroupConsumer reader, List<Exchange> entries) {
        Exchange batch = createExchange(false);
        batch.getIn().setHeader(RedisStreamsConstants.STREAM_KEY, reader.key());
        if (reader.group() != null) {
            batch.getIn().setHeader(RedisStreamsConstants.GROUP, reader.group());
            batch.getIn().setHeader(RedisStreamsConstants.CONSUMER, reader.name());
        }
        batch.getIn().setBody(entries);
        return batch;
    }

    public long getShutdownTimeoutMillis() {
        return Math.max(10000, getEndpoint().getCamelContext().getShutdownStrategy().getTimeUnit()
                .toMillis(getEndpoint().getCamelContext().getShutdownStrategy().getTimeout()) / 2);
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        RedisStreamsEndpoint endpoint = getEndpoint();
        RedisStreamsConfiguration config = endpoint.getConfiguration();
        endpoint.checkStream();
        // the counters of this stream, group and route live as long as the component (the process), so that they keep
        // counting across route stop/start, reloads and consumer restarts, as Prometheus counters and JMX readers expect
        statistics = endpoint.getComponent().statistics(endpoint.getStreamKey(), config.getGroup(), getRouteId());
        if (endpoint.getComponent().isHealthCheckConsumerEnabled()) {
            setHealthCheck(new RedisStreamsConsumerHealthCheck(this, getRouteId()));
        }
        if (config.isLimitedPerKey()) {
            concurrencyKey = endpoint.getCamelContext().resolveLanguage("simple").createExpression(config.getConcurrencyKey());
            concurrencyKey.init(endpoint.getCamelContext());
        }
        int threads = config.getConcurrentConsumers();
        String base = endpoint.consumerBaseName();
        executor = endpoint.getCamelContext().getExecutorServiceManager()
                .newFixedThreadPool(this, "RedisStreams[" + endpoint.getStreamKey() + "]", threads);
        if (config.getConcurrency() > 1) {
            // the readers bound what is handed out (their in-flight window), so the queue never grows past it
            workers = endpoint.getCamelContext().getExecutorServiceManager()
                    .newFixedThreadPool(this, "RedisStreamsWorker[" + endpoint.getStreamKey() + "]", threads * config.getConcurrency());
        }
        if (config.getGroup() != null) {
            // one I/O thread per reader sends its read ahead while the reader dispatches (ReadAhead); none on a Cluster
            readAheadIo = endpoint.getCamelContext().getExecutorServiceManager()
                    .newFixedThreadPool(this, "RedisStreamsReadAhead[" + endpoint.getStreamKey() + "]", threads);
        }
        for (int i = 1; i <= threads; i++) {
            StreamReader reader = new StreamReader(this, threads == 1 ? base : base + "-" + i, workers, readAheadIo);
            readers.add(reader);
            executor.submit(reader);
        }
        long period = ConsumerMaintenance.period(config);
        if (period > 0) {
            maintenance = endpoint.getCamelContext().getExecutorServiceManager()
                    .newSingleThreadScheduledExecutor(this, "RedisStreamsMaintenance[" + endpoint.getStreamKey() + "]");
            maintenance.scheduleWithFixedDelay(new ConsumerMaintenance(this, List.copyOf(readers)), period, period, TimeUnit.MILLISECONDS);
        }
        // entries scheduled for later (CamelRedisStreamsDeliverAt / CamelRedisStreamsDelay) join the stream when due
        scheduledMover = endpoint.getCamelContext().getExecutorServiceManager()
                .newSingleThreadScheduledExecutor(this, "RedisStreamsScheduled[" + endpoint.getStreamKey() + "]");
        ScheduledEntriesMover.start(this, scheduledMover);
        registerMBean();
        meters = RedisStreamsMeters.bindIfRegistry(this);
        LOG.info("Reading stream '{}' {} as {}{} ({})", endpoint.getStreamKey(),
                config.getGroup() != null ? "in group '" + config.getGroup() + "'" : "without group from " + config.getStartId(),
                getConsumerNames(), config.getConcurrency() > 1 ? ", " + config.getConcurrency() + " exchanges at once each" : "",
                URISupport.sanitizeUri(endpoint.getEndpointUri()));
    }

    private ManagementAgent managementAgent() {
        var strategy = getEndpoint().getCamelContext().getManagementStrategy();
        return strategy != null ? strategy.getManagementAgent() : null;
    }

    /** Our own MBean next to Camel's route statistics, when JMX is on. */
    private void registerMBean() throws Exception {
        ManagementAgent agent = managementAgent();
        if (agent == null) {
            return;
        }
        RedisStreamsConfiguration config = getEndpoint().getConfiguration();
        ObjectName name = ManagedRedisStreamsConsumer.objectName(getEndpoint().getStreamKey(), config.getGroup());
        if (agent.isRegistered(name)) {
            // a second route on the same stream and group in this JVM
            name = new ObjectName(name + ",route=" + ObjectName.quote(String.valueOf(getRouteId())));
        }
        agent.register(new ManagedRedisStreamsConsumer(this), name);
        mbeanName = name;
    }

    public ObjectName getMBeanName() {
        return mbeanName;
    }

    /**
     * Deferred: when Camel's shutdown strategy begins, the readers stop handing out entries but keep running, so the
     * entries held finish and their acks are written while the strategy waits for {@link #getPendingExchangesSize()}
     * (with its own timeout and its "inflight and pending" log); the stop then only gives back what was read ahead.
     * The bounded wait in the stop stays for a read that returned as the drain began and for stops that bypass the
     * strategy.
     */
    @Override
    public boolean deferShutdown(ShutdownRunningTask shutdownRunningTask) {
        readers.forEach(reader -> reader.state().drain());
        return true;
    }

    /** True once Camel's shutdown strategy has asked this consumer to hand out nothing new. */
    public boolean isDraining() {
        return !readers.isEmpty() && readers.stream().allMatch(reader -> reader.state().isDraining());
    }

    /** Entries handed out and unfinished, or finished with their ack or dead letter not yet written. */
    @Override
    public int getPendingExchangesSize() {
        return readers.stream().mapToInt(StreamReader::pendingWork).sum();
    }

    @Override
    public void prepareShutdown(boolean suspendOnly, boolean forced) {
        // nothing: the readers stopped handing out in deferShutdown; doStop writes what finished (a forced shutdown included)
    }

    @Override
    protected void doStop() throws Exception {
        if (meters != null) {
            meters.close();
            meters = null;
        }
        if (mbeanName != null && managementAgent() != null) {
            managementAgent().unregister(mbeanName);
            mbeanName = null;
        }
        readers.forEach(reader -> reader.state().stop());
        readers.forEach(StreamReader::endBlockingRead);
        if (executor != null) {
            // readers finish their in-flight exchanges and flush acks before they return; keep-alives go on meanwhile
            getEndpoint().getCamelContext().getExecutorServiceManager()
                    .shutdownGraceful(executor, getShutdownTimeoutMillis() + getEndpoint().getConfiguration().getBlock());
            executor = null;
        }
        if (readAheadIo != null) {
            // the readers have joined their reads ahead before they returned
            getEndpoint().getCamelContext().getExecutorServiceManager().shutdown(readAheadIo);
            readAheadIo = null;
        }
        if (workers != null) {
            // the readers have waited for their exchanges: nothing is left to run
            getEndpoint().getCamelContext().getExecutorServiceManager().shutdown(workers);
            workers = null;
        }
        if (maintenance != null) {
            getEndpoint().getCamelContext().getExecutorServiceManager().shutdownNow(maintenance);
            maintenance = null;
        }
        if (scheduledMover != null) {
            getEndpoint().getCamelContext().getExecutorServiceManager().shutdownNow(scheduledMover);
            scheduledMover = null;
        }
        readers.clear();
        super.doStop();
    }
}
