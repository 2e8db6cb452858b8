package io.streamroutes.component.redisstreams;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.util.regex.Pattern;

import io.streamroutes.component.redisstreams.client.DeadLetterMove;
import io.streamroutes.component.redisstreams.client.RedisErrors;
import io.streamroutes.component.redisstreams.client.RedisStreamsClient;
import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultEndpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.jedis.JedisConnectionFactory;

/**
 * Reads entries of a Redis stream through a consumer group (or from a start id without one), or adds entries to it.
 */
@UriEndpoint(firstVersion = "0.1.0", scheme = "redis-streams", title = "Redis Streams", syntax = "redis-streams:streamKey",
             category = { Category.MESSAGING }, headersClass = RedisStreamsConstants.class)
public class RedisStreamsEndpoint extends DefaultEndpoint {

    private static final Logger LOG = LoggerFactory.getLogger(RedisStreamsEndpoint.class);
    private static final Pattern START_ID = Pattern.compile("\\$|\\d+(-\\d+)?");
    static final long MAX_BLOCK_MS = 600_000;

    @UriPath(description = "Key of the stream; may contain colons, e.g. notify:events")
    @Metadata(required = true)
    private String streamKey;

    @UriParam
    private RedisStreamsConfiguration configuration;

    public RedisStreamsEndpoint(String uri, RedisStreamsComponent component, RedisStreamsConfiguration configuration) {
        super(uri, component);
        this.configuration = configuration;
    }

    @Override
    public RedisStreamsComponent getComponent() {
        return (RedisStreamsComponent) super.getComponent();
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        validateConsumerOptions();
        RedisStreamsConsumer consumer = new RedisStreamsConsumer(this, processor);
        configureConsumer(consumer);
        return consumer;
    }

    @Override
    public Producer createProducer() {
        if (configuration.getMaxLen() < 0) {
            throw invalid("maxLen", configuration.getMaxLen(), "must be 0 (no trimming) or positive");
        }
        validateWaitOptions();
        return new RedisStreamsProducer(this);
    }

    void validateConsumerOptions() {
        RedisStreamsConfiguration c = configuration;
        if (c.getGroup() != null && c.getGroup().isBlank()) {
            throw invalid("group", c.getGroup(), "must not be blank; leave it out for a plain reader");
        }
        if (c.getCount() < 1) {
            throw invalid("count", c.getCount(), "must be at least 1");
        }
        if (c.getBlock() < 1 || c.getBlock() > MAX_BLOCK_MS) {
            throw invalid("block", c.getBlock(), "must be between 1 and " + MAX_BLOCK_MS
                                                 + " ms (BLOCK 0 would wait forever and prevent a clean stop)");
        }
        if (c.getConcurrentConsumers() < 1) {
            throw invalid("concurrentConsumers", c.getConcurrentConsumers(), "must be at least 1");
        }
        if (c.getConcurrency() < 1) {
            throw invalid("concurrency", c.getConcurrency(), "must be at least 1");
        }
        if (c.getBatchingInterval() < 0) {
            throw invalid("batchingInterval", c.getBatchingInterval(), "must be 0 (off) or positive");
        }
        if (c.getRedeliveryDelay() < 0) {
            throw invalid("redeliveryDelay", c.getRedeliveryDelay(), "must be 0 (no schedule) or positive");
        }
        if (!(c.getBackOffMultiplier() >= 1)) {
            throw invalid("backOffMultiplier", c.getBackOffMultiplier(), "must be at least 1");
        }
        if (c.getMaximumRedeliveryDelay() < c.getRedeliveryDelay()) {
            throw invalid("maximumRedeliveryDelay", c.getMaximumRedeliveryDelay(),
                    "must not be below redeliveryDelay (" + c.getRedeliveryDelay() + " ms)");
        }
        if (c.getMinIdleTime() < 1) {
            throw invalid("minIdleTime", c.getMinIdleTime(), "must be at least 1 ms");
        }
        if (c.getClaimInterval() < 0) {
            throw invalid("claimInterval", c.getClaimInterval(), "must be 0 (off) or positive");
        }
        if (c.getMaxDeliveries() < 0) {
            throw invalid("maxDeliveries", c.getMaxDeliveries(), "must be 0 (never) or positive");
        }
        if (c.getStartId() == null || !START_ID.matcher(c.getStartId()).matches()) {
            throw invalid("startId", c.getStartId(), "must be a stream id such as 0, 0-0, 1700000000000-0, or $");
        }
        if (c.getDeadLetterStream() != null && c.getDeadLetterStream().equals(streamKey)) {
            throw invalid("deadLetterStream", c.getDeadLetterStream(), "must differ from the stream being read");
        }
        if (c.getKeepAliveInterval() != null && (c.getKeepAliveInterval() < 0 || c.getKeepAliveInterval() >= c.getMinIdleTime())) {
            throw invalid("keepAliveInterval", c.getKeepAliveInterval(),
                    "must be 0 (off) or below minIdleTime (" + c.getMinIdleTime() + " ms), or the entry would look idle between refreshes");
        }
        if (c.getConsumerTimeout() < 0) {
            throw invalid("consumerTimeout", c.getConsumerTimeout(), "must be 0 (off) or positive");
        }
        if (c.getDeadLetterStream() != null && isCluster() && !DeadLetterMove.sameSlot(streamKey, c.getDeadLetterStream())) {
            LOG.warn("Dead-letter stream '{}' is in another Redis Cluster hash slot than stream '{}': a dead letter is written "
                     + "before the ack, not atomically with it (a failure in between may dead-letter an entry twice). Give both "
                     + "keys the same hash tag, e.g. {integration}:tasks and {integration}:dead-letter, for one atomic step.",
                    c.getDeadLetterStream(), streamKey);
        }
        if (c.getTrimAcknowledgedAfter() < 0) {
            throw invalid("trimAcknowledgedAfter", c.getTrimAcknowledgedAfter(), "must be 0 (off) or a positive duration");
        }
        if (c.getDeadLetterMaxLen() < 0) {
            throw invalid("deadLetterMaxLen", c.getDeadLetterMaxLen(), "must be 0 (unbounded) or positive");
        }
        validatePerKeyOptions();
        validateWaitOptions();
        if (c.getGroup() == null) {
            if (c.getTrimAcknowledgedAfter() > 0) {
                throw invalid("trimAcknowledgedAfter", c.getTrimAcknowledgedAfter(),
                        "needs a group: without one nothing tells which entries are finished");
            }
            if (c.getDeadLetterStream() != null) {
                throw invalid("deadLetterStream", c.getDeadLetterStream(), "needs a group: a plain reader acknowledges nothing");
            }
            if (c.getMaxDeliveries() > 0) {
                throw invalid("maxDeliveries", c.getMaxDeliveries(), "needs a group: a plain reader does not count deliveries");
            }
        }
    }

    private void validatePerKeyOptions() {
        RedisStreamsConfiguration c = configuration;
        if (c.getMaxConcurrencyPerKey() == null) {
            return;
        }
        if (c.getConcurrencyKey() == null || c.getConcurrencyKey().isBlank()) {
            throw invalid("maxConcurrencyPerKey", c.getMaxConcurrencyPerKey(),
                    "needs concurrencyKey, the expression that gives each entry its key (e.g. ${body[user_id]})");
        }
        if (c.getMaxConcurrencyPerKey() < 1) {
            throw invalid("maxConcurrencyPerKey", c.getMaxConcurrencyPerKey(), "must be at least 1 (leave it out for no limit)");
        }
        if (c.getGroup() == null) {
            throw invalid("maxConcurrencyPerKey", c.getMaxConcurrencyPerKey(),
                    "needs a group: a waiting entry stays pending in the group, which a plain reader has not");
        }
        if (c.isBatching()) {
            throw invalid("maxConcurrencyPerKey", c.getMaxConcurrencyPerKey(), "cannot be used with batching=true");
        }
        try {
            getCamelContext().resolveLanguage("simple").createExpression(c.getConcurrencyKey());
        } catch (RuntimeException e) {
            throw invalid("concurrencyKey", c.getConcurrencyKey(), "is not a valid Simple expression: " + e.getMessage());
        }
    }

    private void validateWaitOptions() {
        RedisStreamsConfiguration c = configuration;
        if (c.getWaitReplicas() < 0) {
            throw invalid("waitReplicas", c.getWaitReplicas(), "must be 0 (off) or positive");
        }
        if (c.getWaitReplicas() > 0 && c.getWaitTimeout() < 1) {
            throw invalid("waitTimeout", c.getWaitTimeout(), "must be at least 1 ms (WAIT 0 would wait forever)");
        }
        if (c.getWaitReplicas() > 0 && isCluster()) {
            throw invalid("waitReplicas", c.getWaitReplicas(), "is not supported on a Redis Cluster connection (the WAIT must "
                                                               + "run on the pooled connection that wrote, which the cluster "
                                                               + "client does not guarantee)");
        }
    }

    private IllegalArgumentException invalid(String option, Object value, String rule) {
        return new IllegalArgumentException(
                "Invalid option " + option + "=" + value + " on redis-streams endpoint for stream '" + streamKey + "': " + rule);
    }

    /**
     * Fails start when the key holds something other than a stream, or Redis rejects the credentials. An unreachable
     * Redis does not fail start: the readers keep retrying and health reports DOWN.
     */
    void checkStream() {
        try (RedisStreamsClient client = newClient()) {
            String type = client.type(streamKey);
            if (!"none".equals(type) && !"stream".equals(type)) {
                throw new IllegalStateException("Redis key '" + streamKey + "' holds a " + type + ", not a stream");
            }
        } catch (IllegalStateException e) {
            throw e;
        } catch (RuntimeException e) {
            if (RedisErrors.isAuthFailure(e)) {
                throw new IllegalStateException("Redis rejected the credentials for stream '" + streamKey + "' (username "
                                                + (configuration.getUsername() != null && !configuration.getUsername().isBlank()
                                                   ? "'" + configuration.getUsername() + "'" : "default")
                                                + "): " + RedisErrors.describe(e), null);
            }
            if (!RedisErrors.isConnectionFailure(e)) {
                throw new IllegalStateException("Cannot use stream '" + streamKey + "': " + RedisErrors.describe(e), null);
            }
            LOG.warn("Redis is not reachable for stream '{}' at start ({}); the consumer keeps retrying", streamKey,
                    RedisErrors.describe(e));
        }
    }

    /** True when the endpoint talks to a Redis Cluster (cluster nodes configured, or a cluster-aware factory given). */
    boolean isCluster() {
        if (configuration.getClusterNodes() != null && !configuration.getClusterNodes().isBlank()) {
            return true;
        }
        return configuration.getConnectionFactory() instanceof JedisConnectionFactory jedis && jedis.isRedisClusterAware();
    }

    /** The consumer option, or host name plus process id so that every process has its own name. */
    String consumerBaseName() {
        if (configuration.getConsumer() != null && !configuration.getConsumer().isBlank()) {
            return configuration.getConsumer();
        }
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            host = "localhost";
        }
        return host + "-" + ManagementFactory.getRuntimeMXBean().getPid();
    }

    public RedisConnectionFactory connectionFactory() {
        return configuration.getConnectionFactory() != null
                ? configuration.getConnectionFactory() : getComponent().sharedConnectionFactory(configuration);
    }

    /** A client on a new connection; the caller closes it. */
    public RedisStreamsClient newClient() {
        return new RedisStreamsClient(connectionFactory());
    }

    public String getStreamKey() {
        return streamKey;
    }

    public void setStreamKey(String streamKey) {
        this.streamKey = streamKey;
    }

    public RedisStreamsConfiguration getConfiguration() {
        return configuration;
    }

    public void setConfiguration(RedisStreamsConfiguration configuration) {
        this.configuration = configuration;
    }
}
