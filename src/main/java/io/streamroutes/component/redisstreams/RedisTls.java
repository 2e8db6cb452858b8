package io.streamroutes.component.redisstreams;

import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocketFactory;

import org.apache.camel.CamelContext;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.springframework.data.redis.connection.jedis.JedisClientConfiguration;

/**
 * TLS of the component's connections. The socket factory comes from Camel's {@link SSLContextParameters} when given
 * (the endpoint's or component's {@code sslContextParameters}, else the CamelContext's global ones with
 * {@code useGlobalSslContextParameters}), else from the {@code sslTrustStore} options ({@link TrustStores}).
 */
final class RedisTls {

    private RedisTls() {
    }

    /** Sets up TLS on {@code client} when {@code ssl=true} or SSLContextParameters apply; {@code parameters} may be null. */
    static void configure(JedisClientConfiguration.JedisClientConfigurationBuilder client, RedisStreamsConfiguration config,
                          SSLContextParameters parameters, CamelContext camelContext) {
        if (!isOn(config, parameters)) {
            return;
        }
        // host name verification as HTTPS does it, during the handshake: a certificate for another host is rejected
        SSLParameters verifyHost = new SSLParameters();
        verifyHost.setEndpointIdentificationAlgorithm("HTTPS");
        client.useSsl().sslSocketFactory(socketFactory(config, parameters, camelContext)).sslParameters(verifyHost);
    }

    /** TLS is on with {@code ssl=true} or when SSLContextParameters apply (the trust-store options alone do not turn it on). */
    static boolean isOn(RedisStreamsConfiguration config, SSLContextParameters parameters) {
        return config.isSsl() || parameters != null;
    }

    private static SSLSocketFactory socketFactory(RedisStreamsConfiguration config, SSLContextParameters parameters,
                                                  CamelContext camelContext) {
        if (parameters == null) {
            return TrustStores.socketFactory(config.getSslTrustStore(), config.getSslTrustStorePassword());
        }
        try {
            // the factory of Camel's SSLContext applies the protocols and cipher suites of the parameters to each socket
            return parameters.createSSLContext(camelContext).getSocketFactory();
        } catch (Exception e) {
            throw new IllegalArgumentException("Cannot use sslContextParameters for Redis: " + e.getMessage(), e);
        }
    }
}
