package io.streamroutes.component.redisstreams;

import org.apache.camel.RuntimeCamelException;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * Options of a redis-streams endpoint. Connection options may also be set once on the component.
 */
@UriParams
public class RedisStreamsConfiguration implements Cloneable {

    // connection (common)
    @UriParam(label = "common", defaultValue = "localhost", description = "Redis host, used when no connectionFactory is given.")
    private String host = "localhost";
    @UriParam(label = "common", defaultValue = "6379", description = "Redis port, used when no connectionFactory is given.")
    private int port = 6379;
    @UriParam(label = "common,security", description = "ACL user name (Redis 6 or later); leave empty for the default user.")
    private String username;
    @UriParam(label = "common,security", secret = true, description = "Password for AUTH. Never logged.")
    private String password;
    @UriParam(label = "common", defaultValue = "0", description = "Redis logical database index.")
    private int database;
    @UriParam(label = "common,security", defaultValue = "false",
              description = "Connect to Redis over TLS. Also on when sslContextParameters is set, or given by the component's "
                            + "useGlobalSslContextParameters.")
    private boolean ssl;
    @UriParam(label = "common,security",
              description = "TLS settings as Camel SSLContextParameters (trust and key managers, protocols, cipher suites), e.g. "
                            + "#bean:redisTls; setting it turns TLS on. Precedence: this option, then the CamelContext's global "
                            + "SSLContextParameters (useGlobalSslContextParameters on the component), then sslTrustStore. The "
                            + "server's host name or IP must match its certificate.")
    private SSLContextParameters sslContextParameters;
    @UriParam(label = "common,security",
              description = "Trust store (PKCS12 or JKS file) with the CA that signed the Redis server's certificate, for ssl=true; "
                            + "default: the JVM's trust store. Not used when sslContextParameters is set or the global "
                            + "SSLContextParameters are used. The server's host name or IP must match its certificate.")
    private String sslTrustStore;
    @UriParam(label = "common,security", secret = true, description = "Password of sslTrustStore.")
    private String sslTrustStorePassword;
    @UriParam(label = "common,advanced", defaultValue = "2000", javaType = "java.time.Duration",
              description = "Connect and command timeout in ms (or e.g. 2s) for the connections this component creates; "
                            + "blocking reads wait their own BLOCK time on top of it.")
    private long timeout = 2000;
    @UriParam(label = "common,advanced",
              description = "A Spring Data Redis connection factory to use instead of host/port/... "
                            + "(standalone, Sentinel or Cluster, TLS and ACL configured the Spring way). Never autowired: "
                            + "another factory in the registry (e.g. one a route declares for camel-spring-redis) must not "
                            + "silently replace the configured connection.")
    private RedisConnectionFactory connectionFactory;

    @UriParam(label = "common,advanced",
              description = "Redis Cluster seed nodes, comma-separated host:port; set instead of host/port. A stream and its "
                            + "dead-letter stream should share a hash tag, e.g. {integration}:tasks and {integration}:dead-letter, "
                            + "so that the dead-letter move is one atomic step; in different slots it takes two.")
    private String clusterNodes;
    @UriParam(label = "common,advanced", description = "Redis Sentinel master name; set with sentinelNodes instead of host/port.")
    private String sentinelMaster;
    @UriParam(label = "common,advanced", description = "Redis Sentinel nodes, comma-separated host:port.")
    private String sentinelNodes;

    // consumer
    @UriParam(label = "consumer",
              description = "Consumer group. Without it the consumer is a plain reader (XREAD) that acknowledges nothing.")
    private String group;
    @UriParam(label = "consumer", description = "Consumer name inside the group. Default: host name plus a unique suffix.")
    private String consumer;
    @UriParam(label = "consumer", defaultValue = "10", description = "Maximum entries per read (XREADGROUP COUNT).")
    private int count = 10;
    @UriParam(label = "consumer", defaultValue = "2000", javaType = "java.time.Duration",
              description = "How long a read waits for new entries, in ms or e.g. 2s (BLOCK).")
    private long block = 2000;
    @UriParam(label = "consumer", defaultValue = "0",
              description = "Id the group is created at ($ = only new entries); for a plain reader, where reading starts.")
    private String startId = "0";
    @UriParam(label = "consumer", defaultValue = "true",
              description = "Create the group (XGROUP CREATE ... MKSTREAM) if it does not exist, and again if it is lost.")
    private boolean createGroup = true;
    @UriParam(label = "consumer", defaultValue = "1",
              description = "Parallel reading threads, each a distinct consumer name <consumer>-<n> when more than one.")
    private int concurrentConsumers = 1;
    @UriParam(label = "consumer", defaultValue = "60000", javaType = "java.time.Duration",
              description = "Milliseconds (or e.g. 1m) an entry must be pending before XAUTOCLAIM takes it over.")
    private long minIdleTime = 60000;
    @UriParam(label = "consumer", defaultValue = "30000", javaType = "java.time.Duration",
              description = "Milliseconds (or e.g. 30s) between XAUTOCLAIM sweeps; 0 disables them.")
    private long claimInterval = 30000;
    @UriParam(label = "consumer", defaultValue = "0",
              description = "After this many deliveries a failing entry is dead-lettered; 0 = never.")
    private int maxDeliveries;
    @UriParam(label = "consumer",
              description = "Stream that dead entries are written to (atomically with their acknowledgement; on a Redis Cluster "
                            + "only when both keys are in one slot, else written first and acknowledged after).")
    private String deadLetterStream;

    @UriParam(label = "consumer", javaType = "java.time.Duration",
              description = "Every this many ms (or e.g. 30s) the idle time of each entry whose exchange is still running is refreshed "
                            + "(XCLAIM ... JUSTID), so a slow job is not taken over by another consumer's XAUTOCLAIM: a running entry's "
                            + "idle time stays below this plus scheduling delays. Default minIdleTime / 2; 0 = off.")
    private Long keepAliveInterval;
    @UriParam(label = "consumer", javaType = "java.time.Duration",
              description = "Remove consumers of the group that are idle longer than this many ms (or e.g. 1h) and hold no pending entries "
                            + "(XGROUP DELCONSUMER, checked atomically); 0 = off.")
    private long consumerTimeout;

    @UriParam(label = "consumer", defaultValue = "1",
              description = "Exchanges each reading thread keeps running at once, on threads of Camel's thread pool: a slow, "
                            + "I/O-bound route is then called this many times in parallel over one connection and one consumer "
                            + "name. Entries then complete out of order. Each reading thread holds at most max(count, concurrency) "
                            + "entries handed out and unfinished.")
    private int concurrency = 1;
    @UriParam(label = "consumer", defaultValue = "false",
              description = "One exchange per read instead of one per entry, as camel-kafka's batching: its body is a "
                            + "java.util.List of exchanges, one per entry (count bounds it), each with the headers, body and "
                            + "batch properties a single entry's exchange has. An exception set on an inner exchange retries or "
                            + "dead-letters that entry alone, the others are acknowledged; a failure of the batch's exchange "
                            + "fails all its entries. With concurrency above 1, that many batches run at once.")
    private boolean batching;
    @UriParam(label = "consumer", defaultValue = "0", javaType = "java.time.Duration",
              description = "With batching: once a read returned fewer than count entries, keep reading for up to this many ms "
                            + "(or e.g. 200ms) to fill the batch before handing it to the route; 0 = hand out what one read returned.")
    private long batchingInterval;
    @UriParam(label = "consumer", defaultValue = "1000", javaType = "java.time.Duration",
              description = "Delay before a failed entry is delivered again by the consumer holding it, after its first "
                            + "delivery failed; multiplied by backOffMultiplier for each further delivery, spread by up to 15% either way, "
                            + "capped at maximumRedeliveryDelay. The schedule follows the entry's delivery count in Redis, so it "
                            + "survives restarts. 0 = no schedule: failed entries wait for the XAUTOCLAIM take-over after minIdleTime.")
    private long redeliveryDelay = 1000;
    @UriParam(label = "consumer", defaultValue = "2", description = "Factor by which the redelivery delay grows with each delivery (1 = fixed delay).")
    private double backOffMultiplier = 2;
    @UriParam(label = "consumer", defaultValue = "60000", javaType = "java.time.Duration",
              description = "Upper bound of the redelivery delay. A delay at or above minIdleTime is cut short by the XAUTOCLAIM "
                            + "take-over.")
    private long maximumRedeliveryDelay = 60000;

    @UriParam(label = "consumer",
              description = "A Camel Simple expression evaluated over each entry (its fields are the body map), e.g. one "
                            + "reading its user_id field: entries with the same value share the maxConcurrencyPerKey limit, counted across "
                            + "every process and reading thread of the group in Redis. An entry whose value is empty is not "
                            + "limited. Needs a group; not with batching.")
    private String concurrencyKey;
    @UriParam(label = "consumer",
              description = "At most this many entries with the same concurrencyKey value run at once in the whole group (all "
                            + "processes). An entry whose key is at its limit waits, still pending for this consumer and kept "
                            + "alive, without using up a delivery and without holding back entries of other keys. Default: no "
                            + "limit. At least 1; needs concurrencyKey.")
    private Integer maxConcurrencyPerKey;

    // producer
    @UriParam(label = "producer", description = "Trim the stream to about this many entries on every XADD (approximate MAXLEN); 0 = no trimming.")
    private long maxLen;
    @UriParam(label = "producer", defaultValue = "true",
              description = "How a Collection body (a batch) is added on a standalone or Sentinel Redis. true: as one "
                            + "MULTI/EXEC transaction, as a whole or not at all. false: as pipelined XADDs without a "
                            + "transaction, which Redis runs as they arrive (faster for large batches), so a failure can "
                            + "leave the first entries of the batch added. On a Redis Cluster the entries are always added "
                            + "one after the other.")
    private boolean atomicBatch = true;

    // bounded streams (consumer)
    @UriParam(label = "consumer", javaType = "java.time.Duration",
              description = "Periodically remove entries older than this (by the time in their id) that every consumer group of "
                            + "the stream has finished: delivered and acknowledged, never one a group has not read or still "
                            + "holds pending (XINFO GROUPS, XPENDING, XTRIM MINID). A duration such as 1h, 30m, 5s, 500ms or "
                            + "milliseconds; 0 = off.")
    private long trimAcknowledgedAfter;
    @UriParam(label = "consumer",
              description = "Keep the dead-letter stream to about this many entries (approximate MAXLEN on each dead-letter write), "
                            + "dropping the oldest dead letters; 0 = unbounded.")
    private long deadLetterMaxLen;

    // durable writes (producer; the consumer's dead-letter move honours them too)
    @UriParam(label = "common",
              description = "After each XADD (or batch), and after each dead-letter move of a consumer, wait until this many "
                            + "replicas confirmed the write (WAIT on the same connection); the exchange fails when fewer "
                            + "confirmed within waitTimeout, so the caller retries instead of trusting a write a failover "
                            + "could lose. 0 = off.")
    private int waitReplicas;
    @UriParam(label = "common", defaultValue = "1000", javaType = "java.time.Duration",
              description = "How long to wait for waitReplicas replicas to confirm a write (WAIT timeout), e.g. 500ms or 2s.")
    private long waitTimeout = 1000;

    public RedisStreamsConfiguration copy() {
        try {
            return (RedisStreamsConfiguration) super.clone();
        } catch (CloneNotSupportedException e) {
            throw new RuntimeCamelException(e);
        }
    }

    /** The key identifying the connection settings, so endpoints with equal settings share one factory. */
    String connectionKey() {
        return host + ':' + port + '/' + database + '|' + username + '|' + (password == null ? 0 : password.hashCode()) + '|' + ssl
               + '|' + sslTrustStore + '|' + System.identityHashCode(sslContextParameters) + '|' + timeout + '|' + clusterNodes + '|' + sentinelMaster + '|' + sentinelNodes;
    }

    /** The keep-alive period in ms: {@code keepAliveInterval}, or half of {@code minIdleTime} when not set. */
    public long effectiveKeepAliveInterval() {
        return keepAliveInterval != null ? keepAliveInterval : minIdleTime / 2;
    }

    public String getConcurrencyKey() {
        return concurrencyKey;
    }

    public void setConcurrencyKey(String concurrencyKey) {
        this.concurrencyKey = concurrencyKey;
    }

    public Integer getMaxConcurrencyPerKey() {
        return maxConcurrencyPerKey;
    }

    public void setMaxConcurrencyPerKey(Integer maxConcurrencyPerKey) {
        this.maxConcurrencyPerKey = maxConcurrencyPerKey;
    }

    /**
     * How long a per-key lease lives without a refresh: minIdleTime (after which a dead process's entries are taken
     * over anyway), at most 30 s, so a killed process holds its keys' slots no longer than that.
     */
    public long perKeyLeaseMillis() {
        return Math.min(minIdleTime, 30_000);
    }

    /** True when entries are limited per concurrencyKey value (both options set). */
    public boolean isLimitedPerKey() {
        return concurrencyKey != null && !concurrencyKey.isBlank() && maxConcurrencyPerKey != null;
    }

    public String getHost() {
        return host;
    }

    public void setHost(String host) {
        this.host = host;
    }

    public int getPort() {
        return port;
    }

    public void setPort(int port) {
        this.port = port;
    }

    public String getUsername() {
        return username;
    }

    public void setUsername(String username) {
        this.username = username;
    }

    public String getPassword() {
        return password;
    }

    public void setPassword(String password) {
        this.password = password;
    }

    public int getDatabase() {
        return database;
    }

    public void setDatabase(int database) {
        this.database = database;
    }

    public boolean isSsl() {
        return ssl;
    }

    public void setSsl(boolean ssl) {
        this.ssl = ssl;
    }

    public SSLContextParameters getSslContextParameters() {
        return sslContextParameters;
    }

    public void setSslContextParameters(SSLContextParameters sslContextParameters) {
        this.sslContextParameters = sslContextParameters;
    }

    public String getSslTrustStore() {
        return sslTrustStore;
    }

    public void setSslTrustStore(String sslTrustStore) {
        this.sslTrustStore = sslTrustStore;
    }

    public String getSslTrustStorePassword() {
        return sslTrustStorePassword;
    }

    public void setSslTrustStorePassword(String sslTrustStorePassword) {
        this.sslTrustStorePassword = sslTrustStorePassword;
    }

    public long getTimeout() {
        return timeout;
    }

    public void setTimeout(long timeout) {
        this.timeout = timeout;
    }

    public RedisConnectionFactory getConnectionFactory() {
        return connectionFactory;
    }

    public void setConnectionFactory(RedisConnectionFactory connectionFactory) {
        this.connectionFactory = connectionFactory;
    }

    public String getGroup() {
        return group;
    }

    public void setGroup(String group) {
        this.group = group;
    }

    public String getConsumer() {
        return consumer;
    }

    public void setConsumer(String consumer) {
        this.consumer = consumer;
    }

    public int getCount() {
        return count;
    }

    public void setCount(int count) {
        this.count = count;
    }

    public long getBlock() {
        return block;
    }

    public void setBlock(long block) {
        this.block = block;
    }

    public String getStartId() {
        return startId;
    }

    public void setStartId(String startId) {
        this.startId = startId;
    }

    public boolean isCreateGroup() {
        return createGroup;
    }

    public void setCreateGroup(boolean createGroup) {
        this.createGroup = createGroup;
    }

    public int getConcurrentConsumers() {
        return concurrentConsumers;
    }

    public void setConcurrentConsumers(int concurrentConsumers) {
        this.concurrentConsumers = concurrentConsumers;
    }

    public long getMinIdleTime() {
        return minIdleTime;
    }

    public void setMinIdleTime(long minIdleTime) {
        this.minIdleTime = minIdleTime;
    }

    public long getClaimInterval() {
        return claimInterval;
    }

    public void setClaimInterval(long claimInterval) {
        this.claimInterval = claimInterval;
    }

    public int getMaxDeliveries() {
        return maxDeliveries;
    }

    public void setMaxDeliveries(int maxDeliveries) {
        this.maxDeliveries = maxDeliveries;
    }

    public String getDeadLetterStream() {
        return deadLetterStream;
    }

    public void setDeadLetterStream(String deadLetterStream) {
        this.deadLetterStream = deadLetterStream;
    }

    public String getClusterNodes() {
        return clusterNodes;
    }

    public void setClusterNodes(String clusterNodes) {
        this.clusterNodes = clusterNodes;
    }

    public String getSentinelMaster() {
        return sentinelMaster;
    }

    public void setSentinelMaster(String sentinelMaster) {
        this.sentinelMaster = sentinelMaster;
    }

    public String getSentinelNodes() {
        return sentinelNodes;
    }

    public void setSentinelNodes(String sentinelNodes) {
        this.sentinelNodes = sentinelNodes;
    }

    public Long getKeepAliveInterval() {
        return keepAliveInterval;
    }

    public void setKeepAliveInterval(Long keepAliveInterval) {
        this.keepAliveInterval = keepAliveInterval;
    }

    public long getConsumerTimeout() {
        return consumerTimeout;
    }

    public void setConsumerTimeout(long consumerTimeout) {
        this.consumerTimeout = consumerTimeout;
    }

    public boolean isBatching() {
        return batching;
    }

    public void setBatching(boolean batching) {
        this.batching = batching;
    }

    public long getBatchingInterval() {
        return batchingInterval;
    }

    public void setBatchingInterval(long batchingInterval) {
        this.batchingInterval = batchingInterval;
    }

    public int getConcurrency() {
        return concurrency;
    }

    public void setConcurrency(int concurrency) {
        this.concurrency = concurrency;
    }

    public long getRedeliveryDelay() {
        return redeliveryDelay;
    }

    public void setRedeliveryDelay(long redeliveryDelay) {
        this.redeliveryDelay = redeliveryDelay;
    }

    public double getBackOffMultiplier() {
        return backOffMultiplier;
    }

    public void setBackOffMultiplier(double backOffMultiplier) {
        this.backOffMultiplier = backOffMultiplier;
    }

    public long getMaximumRedeliveryDelay() {
        return maximumRedeliveryDelay;
    }

    public void setMaximumRedeliveryDelay(long maximumRedeliveryDelay) {
        this.maximumRedeliveryDelay = maximumRedeliveryDelay;
    }

    public boolean isAtomicBatch() {
        return atomicBatch;
    }

    public void setAtomicBatch(boolean atomicBatch) {
        this.atomicBatch = atomicBatch;
    }

    public long getMaxLen() {
        return maxLen;
    }

    public void setMaxLen(long maxLen) {
        this.maxLen = maxLen;
    }

    public long getTrimAcknowledgedAfter() {
        return trimAcknowledgedAfter;
    }

    public void setTrimAcknowledgedAfter(long trimAcknowledgedAfter) {
        this.trimAcknowledgedAfter = trimAcknowledgedAfter;
    }

    public long getDeadLetterMaxLen() {
        return deadLetterMaxLen;
    }

    public void setDeadLetterMaxLen(long deadLetterMaxLen) {
        this.deadLetterMaxLen = deadLetterMaxLen;
    }

    public int getWaitReplicas() {
        return waitReplicas;
    }

    public void setWaitReplicas(int waitReplicas) {
        this.waitReplicas = waitReplicas;
    }

    public long getWaitTimeout() {
        return waitTimeout;
    }

    public void setWaitTimeout(long waitTimeout) {
        this.waitTimeout = waitTimeout;
    }
}
