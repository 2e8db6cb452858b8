package io.streamroutes.app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import io.streamroutes.testsupport.EmbeddedRedisExtension;
import io.streamroutes.testsupport.ScenarioApp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

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

    @Test
    void authenticationNeedsAUsersFileNamingSomeone(@TempDir Path dir) throws Exception {
        Path users = Files.writeString(dir.resolve("users.properties"), "user.ops = secret\n");
        Path empty = Files.writeString(dir.resolve("empty.properties"), "# nobody yet\n");
        assertDoesNotThrow(() -> ExposureCheck.checkUsers("camel.management", true, users.toString(), null));
        assertDoesNotThrow(() -> ExposureCheck.checkUsers("camel.management", false, null, null), "authentication off");
        assertDoesNotThrow(() -> ExposureCheck.checkUsers("camel.management", true, null, "/etc/keys/jwt.jks"), "JWT instead");
        assertRefused("camel.management.basic-properties-file is not set", () -> ExposureCheck.checkUsers("camel.management", true, null, null));
        assertRefused("camel.server.basic-properties-file is not set", () -> ExposureCheck.checkUsers("camel.server", true, " ", ""));
        assertRefused("camel.server.basic-properties-file = " + dir.resolve("missing") + " does not exist",
                () -> ExposureCheck.checkUsers("camel.server", true, dir.resolve("missing").toString(), null));
        assertRefused("camel.management.basic-properties-file = " + empty + " names no user",
                () -> ExposureCheck.checkUsers("camel.management", true, empty.toString(), null));
    }

    private static void assertRefused(String expected, org.junit.jupiter.api.function.Executable check) {
        IllegalStateException e = assertThrows(IllegalStateException.class, check);
        assertTrue(e.getMessage().contains(expected) && e.getMessage().contains("user.<name> = <password>"), e.getMessage());
    }

    @Test
    void theApplicationRefusesAuthenticationWithoutUsers(@TempDir Path dir) {
        assertStartRefused("camel.management.basic-properties-file is not set", Map.of("camel.management.enabled", "true",
                "camel.management.port", "0", "camel.management.authentication-enabled", "true"));
        assertStartRefused("camel.server.basic-properties-file = " + dir.resolve("missing") + " does not exist", Map.of(
                "camel.server.enabled", "true", "camel.server.host", "0.0.0.0", "camel.server.port", "0",
                "camel.server.authentication-enabled", "true", "camel.server.basic-properties-file", dir.resolve("missing").toString()));
    }

    private static void assertStartRefused(String expected, Map<String, String> settings) {
        Exception e = assertThrows(Exception.class, () -> ScenarioApp.start(redis.host(), redis.port(), settings).close());
        Throwable t = e;
        while (t.getCause() != null && (t.getMessage() == null || !t.getMessage().contains(expected))) {
            t = t.getCause();
        }
        assertTrue(t.getMessage() != null && t.getMessage().contains(expected), e.toString());
    }
}
