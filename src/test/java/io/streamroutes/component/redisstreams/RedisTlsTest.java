package io.streamroutes.component.redisstreams;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.streamroutes.testsupport.TlsRedis;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.jsse.KeyStoreParameters;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.camel.support.jsse.TrustManagersParameters;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code ssl=true}, and Camel's {@code sslContextParameters} (the endpoint's, or the global ones with
 * {@code useGlobalSslContextParameters}), against a TLS-only Redis 7 (Debian's redis-server is built with TLS) with a
 * certificate from a test CA; skipped, with the reason shown, where redis-server or openssl is missing.
 */
class RedisTlsTest {

    private static TlsRedis tls;

    @BeforeAll
    static void startTlsRedis() throws Exception {
        tls = TlsRedis.start();
    }

    @AfterAll
    static void stopTlsRedis() throws InterruptedException {
        if (tls != null) {
            tls.close();
        }
    }

    /** Camel's TLS settings trusting the CA in {@code trustStore} (a file next to the test CA's). */
    private static SSLContextParameters trusting(String trustStore) {
        KeyStoreParameters store = new KeyStoreParameters();
        store.setResource("file:" + tls.trustStore().resolveSibling(trustStore));
        store.setPassword(TlsRedis.TRUST_STORE_PASSWORD);
        store.setType("PKCS12");
        TrustManagersParameters trust = new TrustManagersParameters();
        trust.setKeyStore(store);
        SSLContextParameters parameters = new SSLContextParameters();
        parameters.setTrustManagers(trust);
        return parameters;
    }

    /** Produces an entry and consumes it through {@code options}, over TLS or not at all. */
    private static void roundTrip(CamelContext context, String options) throws Exception {
        List<Map<?, ?>> received = new CopyOnWriteArrayList<>();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("redis-streams:tls:params?group=g&consumer=c&block=100" + options).process(e -> received.add(e.getIn().getBody(Map.class)));
            }
        });
        context.start();
        context.createProducerTemplate().sendBody("redis-streams:tls:params?maxLen=0" + options, Map.of("n", "1"));
        await("entry received over TLS").atMost(Duration.ofSeconds(10)).until(() -> received.size() == 1);
    }

    @Test
    void anEndpointsSslContextParametersTurnTlsOnAndPrecedeTheGlobalOnes() throws Exception {
        try (CamelContext context = new DefaultCamelContext()) {
            RedisStreamsComponent component = new RedisStreamsComponent();
            component.getConfiguration().setHost("127.0.0.1");
            component.getConfiguration().setPort(tls.port());
            component.setUseGlobalSslContextParameters(true);
            context.setSSLContextParameters(trusting("other.p12")); // would reject the server: must not be the one used
            context.getRegistry().bind("redisTls", trusting("trust.p12"));
            context.addComponent("redis-streams", component);
            roundTrip(context, "&sslContextParameters=#redisTls");
        }
    }

    @Test
    void theGlobalSslContextParametersPrecedeTheTrustStoreOptions() throws Exception {
        try (CamelContext context = context("other.p12")) {
            ((RedisStreamsComponent) context.getComponent("redis-streams")).setUseGlobalSslContextParameters(true);
            context.setSSLContextParameters(trusting("trust.p12"));
            roundTrip(context, "");
        }
    }

    @Test
    void theGlobalSslContextParametersAreNotUsedUnlessAskedFor() throws Exception {
        try (CamelContext context = context("other.p12")) {
            context.setSSLContextParameters(trusting("trust.p12"));
            context.start();
            Exception e = org.junit.jupiter.api.Assertions.assertThrows(Exception.class,
                    () -> context.createProducerTemplate().sendBody("redis-streams:notify:events", Map.of("a", "1")));
            assertTrue(chain(e).contains("PKIX") || chain(e).contains("certificat"), chain(e));
        }
    }

    private static String chain(Throwable e) {
        StringBuilder chain = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            chain.append(t).append(" | ");
        }
        return chain.toString();
    }

    private static CamelContext context(String trustStore) throws Exception {
        CamelContext context = new DefaultCamelContext();
        RedisStreamsComponent component = new RedisStreamsComponent();
        component.getConfiguration().setHost("127.0.0.1");
        component.getConfiguration().setPort(tls.port());
        component.getConfiguration().setSsl(true);
        component.getConfiguration().setSslTrustStore(tls.trustStore().resolveSibling(trustStore).toString());
        component.getConfiguration().setSslTrustStorePassword("changeit");
        context.addComponent("redis-streams", component);
        return context;
    }

    @Test
    void consumesAndProducesOverTls() throws Exception {
        List<Map<?, ?>> received = new CopyOnWriteArrayList<>();
        try (CamelContext context = context("trust.p12")) {
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("redis-streams:notify:events?group=notify-workers&consumer=worker-1&block=100").process(e -> received.add(
                            e.getIn().getBody(Map.class)));
                }
            });
            context.start();
            context.createProducerTemplate().sendBody("redis-streams:notify:events",
                    Map.of("user_id", "123", "type", "email", "template", "welcome"));
            await("entry received over TLS").atMost(Duration.ofSeconds(10)).until(() -> received.size() == 1);
            assertEquals("welcome", received.get(0).get("template"));
        }
    }

    @Test
    void aServerCertificateFromAnotherCaIsRejected() throws Exception {
        try (CamelContext context = context("other.p12")) {
            context.start();
            Exception e = org.junit.jupiter.api.Assertions.assertThrows(Exception.class,
                    () -> context.createProducerTemplate().sendBody("redis-streams:notify:events", Map.of("a", "1")));
            assertTrue(chain(e).contains("PKIX") || chain(e).contains("certificat"), chain(e));
        }
    }
}
