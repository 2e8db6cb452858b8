package io.streamroutes.component.redisstreams;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.streamroutes.testsupport.TlsRedis;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code ssl=true} against a TLS-only Redis 7 (Debian's redis-server is built with TLS) with a certificate from a test
 * CA; skipped, with the reason shown, where redis-server or openssl is missing.
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
            StringBuilder chain = new StringBuilder();
            for (Throwable t = e; t != null; t = t.getCause()) {
                chain.append(t).append(" | ");
            }
            assertTrue(chain.toString().contains("PKIX") || chain.toString().contains("certificat"), chain.toString());
        }
    }
}
