package io.streamroutes.app;

import java.util.Map;

import io.streamroutes.testsupport.EmbeddedRedisExtension;
import io.streamroutes.testsupport.ScenarioApp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** HTTP servers that can stop routes and move entries listen beyond loopback only with authentication. */
class ExposureCheckTest {

    @RegisterExtension
    static final EmbeddedRedisExtension redis = new EmbeddedRedisExtension();

    @Test
    void loopbackOrAuthentication() {
        assertDoesNotThrow(() -> ExposureCheck.check("camel.server", true, "127.0.0.1", false));
        assertDoesNotThrow(() -> ExposureCheck.check("camel.server", true, "localhost", false));
        assertDoesNotThrow(() -> ExposureCheck.check("camel.server", true, "::1", false));
        assertDoesNotThrow(() -> ExposureCheck.check("camel.server", true, "0.0.0.0", true), "authentication on");
        assertDoesNotThrow(() -> ExposureCheck.check("camel.server", false, "0.0.0.0", false), "server off");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ExposureCheck.check("camel.management", true, "0.0.0.0", false));
        assertTrue(e.getMessage().contains("camel.management.authentication-enabled"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> ExposureCheck.check("camel.server", true, "", false), "Camel's default 0.0.0.0");
        assertThrows(IllegalStateException.class, () -> ExposureCheck.check("camel.server", true, "no-such-host.invalid", false));
    }

    @Test
    void theApplicationRefusesToStartExposed() {
        Exception e = assertThrows(Exception.class, () -> ScenarioApp.start(redis.host(), redis.port(),
                Map.of("camel.server.enabled", "true", "camel.server.host", "0.0.0.0", "camel.server.port", "0")).close());
        Throwable t = e;
        while (t.getCause() != null && !t.getMessage().contains("loopback")) {
            t = t.getCause();
        }
        assertTrue(t.getMessage().contains("camel.server.host = 0.0.0.0 is not a loopback address"), e.toString());
    }
}
