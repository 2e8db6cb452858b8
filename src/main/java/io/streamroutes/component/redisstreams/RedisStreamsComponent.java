package io.streamroutes.component.redisstreams;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.streamroutes.component.redisstreams.client.RedisStreamsClient;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.SSLContextParametersAware;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.HealthCheckComponent;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.springframework.data.redis.connection.RedisClusterConfiguration;
import org.springframework.data.redis.connection.RedisConfiguration;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.RedisPassword;
import org.springframework.data.redis.connection.RedisSentinelConfiguration;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.jedis.JedisClientConfiguration;
import org.springframework.data.redis.connection.jedis.JedisConnectionFactory;
import redis.clients.jedis.JedisPoolConfig;

/**
 * The {@code redis-streams} component. Endpoints with the same connection options share one pooled Spring Data
 * Redis connection factory, created on first use and destroyed when the component stops.
 */
@Component("redis-streams")
public class RedisStreamsComponent extends HealthCheckComponent implements SSLContextParametersAware {

    /** Each reading thread holds one connection; producers borrow one per call. */
    static final int POOL_SIZE = 64;

    @Metadata(description = "Options shared by all endpoints of this component")
    private RedisStreamsConfiguration configuration = new RedisStreamsConfiguration();

    @Metadata(label = "security", defaultValue = "false",
              description = "Use the CamelContext's global SSLContextParameters (which turns TLS on) where no sslContextParameters "
                            + "is set on the endpoint or component; they take precedence over the sslTrustStore options.")
    private boolean useGlobalSslContextParameters;

    private final Map<String, JedisConnectionFactory> factories = new ConcurrentHashMap<>();
    private final Map<List<String>, RedisStreamsStatistics> statistics = new ConcurrentHashMap<>();

    /**
     * The counters of the consumers of {@code streamKey} in {@code group} for {@code routeId} (the tags of their
     * meters): one object for the life of the component, so a restarted or reloaded route's consumer carries on
     * counting.
     */
    RedisStreamsStatistics statistics(String streamKey, String group, String routeId) {
        return statistics.computeIfAbsent(List.of(streamKey, String.valueOf(group), String.valueOf(routeId)),
                k -> new RedisStreamsStatistics());
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        if (remaining == null || remaining.isBlank()) {
            throw new IllegalArgumentException("redis-streams endpoint needs a stream key: redis-streams:<streamKey>[?options]");
        }
        RedisStreamsEndpoint endpoint = new RedisStreamsEndpoint(uri, this, configuration.copy());
        endpoint.setStreamKey(remaining);
        setProperties(endpoint, parameters);
        return endpoint;
    }

    RedisConnectionFactory sharedConnectionFactory(RedisStreamsConfiguration config) {
        SSLContextParameters ssl = sslContextParameters(config);
        return factories.computeIfAbsent(config.connectionKey() + '|' + System.identityHashCode(ssl),
                k -> createFactory(config, ssl, getCamelContext()));
    }

    /** The SSLContextParameters in force for {@code config}, or null: then the trust-store options apply. */
    private SSLContextParameters sslContextParameters(RedisStreamsConfiguration config) {
        // precedence: the endpoint's or component's sslContextParameters, the global ones, then the trust-store options
        return config.getSslContextParameters() != null ? config.getSslContextParameters() : retrieveGlobalSslContextParameters();
    }

    /** Whether connections made with {@code config} (an endpoint's or this component's) use TLS. */
    public boolean usesTls(RedisStreamsConfiguration config) {
        return RedisTls.isOn(config, sslContextParameters(config));
    }

    /** The {@code redis-streams} component of {@code context}, configured as camel-main configured it. */
    public static RedisStreamsComponent of(CamelContext context) {
        return context.getComponent("redis-streams", RedisStreamsComponent.class);
    }

    /**
     * The way beans reach Redis exactly as the routes do (standalone, Sentinel, Cluster, credentials, database,
     * timeout, TLS): the connection factory this component's endpoints share, i.e. its {@code connectionFactory}
     * option, or the pooled factory made from its own options on first use. The component owns it and destroys it
     * when it stops: callers never destroy it.
     */
    public RedisConnectionFactory connectionFactory() {
        return configuration.getConnectionFactory() != null
                ? configuration.getConnectionFactory() : sharedConnectionFactory(configuration);
    }

    /** A client on {@link #connectionFactory()}, for beans that send stream commands or scripts; the caller closes it. */
    public RedisStreamsClient newClient() {
        return new RedisStreamsClient(connectionFactory());
    }

    /**
     * A started, pooled connection factory for the host/port/username/password/database/ssl/timeout options; the caller
     * destroys it. Also used by the command-line tools so they connect exactly as the routes do.
     */
    public static JedisConnectionFactory createFactory(RedisStreamsConfiguration config) {
        return createFactory(config, config.getSslContextParameters(), null);
    }

    /** {@link #createFactory(RedisStreamsConfiguration)} with the SSLContextParameters in force (null: the trust-store options). */
    static JedisConnectionFactory createFactory(RedisStreamsConfiguration config, SSLContextParameters ssl, CamelContext camelContext) {
        JedisPoolConfig pool = new JedisPoolConfig();
        pool.setMaxTotal(POOL_SIZE);
        pool.setMaxIdle(POOL_SIZE);
        pool.setMinIdle(0);
        pool.setMaxWait(Duration.ofMillis(config.getTimeout()));
        JedisClientConfiguration.JedisClientConfigurationBuilder client = JedisClientConfiguration.builder()
                .connectTimeout(Duration.ofMillis(config.getTimeout()))
                .readTimeout(Duration.ofMillis(config.getTimeout()))
                .clientName("redis-stream-routes");
        RedisTls.configure(client, config, ssl, camelContext);
        client.usePooling().poolConfig(pool);
        JedisClientConfiguration clientConfiguration = client.build();
        RedisConfiguration server = serverConfiguration(config);
        JedisConnectionFactory factory;
        if (server instanceof RedisClusterConfiguration cluster) {
            factory = new JedisConnectionFactory(cluster, clientConfiguration);
        } else if (server instanceof RedisSentinelConfiguration sentinel) {
            factory = new JedisConnectionFactory(sentinel, clientConfiguration);
        } else {
            factory = new JedisConnectionFactory((RedisStandaloneConfiguration) server, clientConfiguration);
        }
        factory.afterPropertiesSet();
        factory.start();
        return factory;
    }

    /** Standalone (host/port), Sentinel (sentinelMaster + sentinelNodes) or Cluster (clusterNodes), with credentials. */
    private static RedisConfiguration serverConfiguration(RedisStreamsConfiguration config) {
        RedisConfiguration server;
        if (notBlank(config.getClusterNodes())) {
            server = new RedisClusterConfiguration(nodes(config.getClusterNodes()));
        } else if (notBlank(config.getSentinelMaster())) {
            if (!notBlank(config.getSentinelNodes())) {
                throw new IllegalArgumentException("redis-streams: sentinelMaster needs sentinelNodes (host:port,host:port)");
            }
            RedisSentinelConfiguration sentinel = new RedisSentinelConfiguration(config.getSentinelMaster(),
                    new java.util.HashSet<>(nodes(config.getSentinelNodes())));
            sentinel.setDatabase(config.getDatabase());
            server = sentinel;
        } else {
            RedisStandaloneConfiguration standalone = new RedisStandaloneConfiguration(config.getHost(), config.getPort());
            standalone.setDatabase(config.getDatabase());
            server = standalone;
        }
        if (server instanceof RedisConfiguration.WithAuthentication auth) {
            if (notBlank(config.getUsername())) {
                auth.setUsername(config.getUsername());
            }
            if (notBlank(config.getPassword())) {
                auth.setPassword(RedisPassword.of(config.getPassword()));
            }
        }
        return server;
    }

    private static List<String> nodes(String commaSeparated) {
        return Arrays.stream(commaSeparated.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    private static boolean notBlank(String s) {
        return s != null && !s.isBlank();
    }

    @Override
    protected void doStop() throws Exception {
        factories.values().forEach(JedisConnectionFactory::destroy);
        factories.clear();
        super.doStop();
    }

    @Override
    public boolean isUseGlobalSslContextParameters() {
        return useGlobalSslContextParameters;
    }

    /** Use the CamelContext's global SSLContextParameters where no sslContextParameters is set. */
    @Override
    public void setUseGlobalSslContextParameters(boolean useGlobalSslContextParameters) {
        this.useGlobalSslContextParameters = useGlobalSslContextParameters;
    }

    public RedisStreamsConfiguration getConfiguration() {
        return configuration;
    }

    /** Options shared by all endpoints of this component. */
    public void setConfiguration(RedisStreamsConfiguration configuration) {
        this.configuration = configuration;
    }
}
