package io.streamroutes.component.redisstreams;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.junit.jupiter.api.Test;

/** When the component's connections use TLS (what dlq reports as " (TLS)"); no server needed. */
class UsesTlsTest {

    @Test
    void tlsIsOnWithSslOrSslContextParametersInForce() throws Exception {
        try (CamelContext context = new DefaultCamelContext()) {
            RedisStreamsComponent component = new RedisStreamsComponent();
            context.addComponent("redis-streams", component);
            RedisStreamsConfiguration config = new RedisStreamsConfiguration();
            assertFalse(component.usesTls(config), "plain by default");

            // a trust store alone does not turn TLS on (it is for ssl=true)
            config.setSslTrustStore("/nowhere/trust.p12");
            assertFalse(component.usesTls(config));

            config.setSsl(true);
            assertTrue(component.usesTls(config));

            config.setSsl(false);
            config.setSslContextParameters(new SSLContextParameters());
            assertTrue(component.usesTls(config), "the endpoint's or component's sslContextParameters");

            config.setSslContextParameters(null);
            context.setSSLContextParameters(new SSLContextParameters());
            assertFalse(component.usesTls(config), "the global ones only with useGlobalSslContextParameters");
            component.setUseGlobalSslContextParameters(true);
            assertTrue(component.usesTls(config));
        }
    }
}
