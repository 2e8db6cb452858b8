package io.streamroutes.ops;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.streamroutes.embedded.EmbeddedRedis;
import io.streamroutes.testsupport.EmbeddedRedisExtension;
import io.streamroutes.testsupport.ScenarioApp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Both HTTP servers bound to 0.0.0.0 with basic authentication (camel.management.* and camel.server.*
 * authentication-enabled, basic-properties-file): the exposure check lets the application start, the health probes
 * answer without credentials (a kubelet sends none), metrics, Jolokia, the dev consoles and the streams page answer
 * 401 without and 200 with them; reached through 127.0.0.1 and through this machine's own non-loopback address.
 */
class AuthenticatedExposureTest {

    @RegisterExtension
    static final EmbeddedRedisExtension redis = new EmbeddedRedisExtension();
    static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static final String USER = "ops";
    static final String PASSWORD = "Basic-S3cret-1e";

    static Path usersFile(Path dir) throws IOException {
        // Camel's basic-properties-file (Vert.x's properties file authentication): "user.<name> = <password>[,<role>...]"
        return Files.writeString(dir.resolve("users.properties"), "user." + USER + " = " + PASSWORD + "\n");
    }

    static Map<String, String> exposed(Path users, int management, int server) {
        Map<String, String> props = new HashMap<>();
        props.put("camel.management.enabled", "true");
        props.put("camel.management.host", "0.0.0.0");
        props.put("camel.management.port", Integer.toString(management));
        props.put("camel.management.authentication-enabled", "true");
        props.put("camel.management.basic-properties-file", users.toString());
        props.put("camel.server.enabled", "true");
        props.put("camel.server.host", "0.0.0.0");
        props.put("camel.server.port", Integer.toString(server));
        props.put("camel.server.authentication-enabled", "true");
        props.put("camel.server.basic-properties-file", users.toString());
        props.put("analytics.block-ms", "100");
        return props;
    }

    static int status(String url, String authorization) throws Exception {
        return status(http, url, authorization);
    }

    static int status(HttpClient http, String url, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Accept", "text/plain;version=0.0.4;q=0.5,application/json;q=0.5,*/*;q=0.1");
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** 127.0.0.1 and, when this machine has one, its own first non-loopback IPv4 address. */
    static List<String> hosts() throws IOException {
        List<String> hosts = new ArrayList<>(List.of("127.0.0.1"));
        NetworkInterface.networkInterfaces().flatMap(NetworkInterface::inetAddresses)
                .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress())
                .map(InetAddress::getHostAddress).findFirst().ifPresentOrElse(hosts::add,
                        () -> System.out.println("no non-loopback address on this machine: checked through 127.0.0.1 only"));
        return hosts;
    }

    @Test
    void probesAreOpenEverythingElseNeedsTheCredentials(@TempDir Path dir) throws Exception {
        int management = EmbeddedRedis.freePort();
        int server = EmbeddedRedis.freePort();
        try (ScenarioApp app = ScenarioApp.start(redis.host(), redis.port(), exposed(usersFile(dir), management, server),
                "routes/analytics.yaml")) {
            String good = basic(USER, PASSWORD);
            String wrong = basic(USER, "wrong");
            for (String host : hosts()) {
                String observe = "http://" + host + ":" + management;
                await().atMost(Duration.ofSeconds(20)).until(() -> status(observe + "/observe/health/ready", null) == 200);
                for (String open : new String[] { "/observe/health", "/observe/health/live", "/observe/health/ready" }) {
                    assertEquals(200, status(observe + open, null), host + open);
                }
                for (String closed : new String[] { "/observe/metrics", "/observe/jolokia/read/java.lang:type=Memory",
                        "/q/dev", "/q/dev/redis-streams" }) {
                    assertEquals(401, status(observe + closed, null), host + closed + " without credentials");
                    assertEquals(401, status(observe + closed, wrong), host + closed + " with a wrong password");
                    assertEquals(200, status(observe + closed, good), host + closed + " with credentials");
                }
                String page = "http://" + host + ":" + server + "/streams";
                assertEquals(401, status(page, null), page + " without credentials");
                assertEquals(401, status(page, wrong), page + " with a wrong password");
                assertEquals(200, status(page, good), page + " with credentials");
            }
        }
    }

    /**
     * TLS for both servers through Camel's global SSL settings (camel.ssl.*, use-global-ssl-context-parameters), with a
     * self-signed key store made by keytool: the same answers over https, and plain http no longer works.
     */
    @Test
    void tlsForBothServersThroughCamelsSslSettings(@TempDir Path dir) throws Exception {
        Path keyStore = dir.resolve("server.p12");
        String storePassword = "Store-Pass-42";
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), "-genkeypair",
                "-alias", "server", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2", "-dname", "CN=localhost",
                "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-storetype", "PKCS12", "-keystore", keyStore.toString(),
                "-storepass", storePassword).inheritIO().start();
        assertEquals(0, keytool.waitFor(), "keytool");
        int management = EmbeddedRedis.freePort();
        int server = EmbeddedRedis.freePort();
        Map<String, String> props = exposed(usersFile(dir), management, server);
        props.put("camel.ssl.enabled", "true");
        props.put("camel.ssl.key-store", "file:" + keyStore);
        props.put("camel.ssl.key-store-type", "PKCS12");
        props.put("camel.ssl.keystore-password", storePassword);
        props.put("camel.management.use-global-ssl-context-parameters", "true");
        props.put("camel.server.use-global-ssl-context-parameters", "true");
        // the client trusts exactly the generated certificate
        java.security.KeyStore trust = java.security.KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(keyStore)) {
            trust.load(in, storePassword.toCharArray());
        }
        javax.net.ssl.TrustManagerFactory trustManagers = javax.net.ssl.TrustManagerFactory.getInstance(
                javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
        trustManagers.init(trust);
        javax.net.ssl.SSLContext ssl = javax.net.ssl.SSLContext.getInstance("TLS");
        ssl.init(null, trustManagers.getTrustManagers(), null);
        HttpClient https = HttpClient.newBuilder().sslContext(ssl).connectTimeout(Duration.ofSeconds(5)).build();
        try (ScenarioApp app = ScenarioApp.start(redis.host(), redis.port(), props, "routes/analytics.yaml")) {
            String observe = "https://127.0.0.1:" + management;
            await().atMost(Duration.ofSeconds(20)).until(() -> status(https, observe + "/observe/health/ready", null) == 200);
            assertEquals(401, status(https, observe + "/observe/metrics", null));
            assertEquals(200, status(https, observe + "/observe/metrics", basic(USER, PASSWORD)));
            assertEquals(401, status(https, "https://127.0.0.1:" + server + "/streams", null));
            assertEquals(200, status(https, "https://127.0.0.1:" + server + "/streams", basic(USER, PASSWORD)));
            org.junit.jupiter.api.Assertions.assertThrows(IOException.class,
                    () -> status(https, "http://127.0.0.1:" + management + "/observe/health", null), "plain http");
        }
    }
}
