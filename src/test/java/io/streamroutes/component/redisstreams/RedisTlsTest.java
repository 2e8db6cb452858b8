package io.streamroutes.component.redisstreams;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.streamroutes.embedded.EmbeddedRedis;
import io.streamroutes.testsupport.Await;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code ssl=true} against a TLS-only Redis 7 (Debian's redis-server is built with TLS) with a certificate from a test
 * CA; skipped, with the reason shown, where redis-server or openssl is missing.
 */
class RedisTlsTest {

    private static final String SERVER = "/usr/bin/redis-server";
    private static Path dir;
    private static Process redis;
    private static int port;

    @BeforeAll
    static void startTlsRedis() throws Exception {
        assumeTrue(new File(SERVER).canExecute() && new File("/usr/bin/openssl").canExecute(),
                "SKIPPED: TLS test needs Debian's redis-server (built with TLS) and openssl");
        dir = Files.createTempDirectory("redis-tls");
        Files.writeString(dir.resolve("san.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
        run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.crt", "-days", "2", "-subj",
                "/CN=redis-stream-routes test CA");
        run("openssl", "req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=localhost");
        run("openssl", "x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-out",
                "server.crt", "-days", "2", "-extfile", "san.ext");
        run(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), "-importcert", "-noprompt", "-alias", "ca",
                "-file", "ca.crt", "-keystore", "trust.p12", "-storetype", "PKCS12", "-storepass", "changeit");
        run(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), "-genkeypair", "-alias", "other", "-keyalg",
                "RSA", "-dname", "CN=other", "-keystore", "other.p12", "-storetype", "PKCS12", "-storepass", "changeit");
        port = EmbeddedRedis.freePort();
        redis = new ProcessBuilder(SERVER, "--port", "0", "--tls-port", Integer.toString(port), "--bind", "127.0.0.1",
                "--tls-cert-file", "server.crt", "--tls-key-file", "server.key", "--tls-ca-cert-file", "ca.crt",
                "--tls-auth-clients", "no", "--save", "", "--appendonly", "no")
                .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
        Await.listening("TLS Redis", port, 10_000);
    }

    @AfterAll
    static void stopTlsRedis() throws InterruptedException {
        if (redis != null) {
            redis.destroy();
            redis.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, String.join(" ", command) + ":\n" + out);
    }

    private static CamelContext context(String trustStore) throws Exception {
        CamelContext context = new DefaultCamelContext();
        RedisStreamsComponent component = new RedisStreamsComponent();
        component.getConfiguration().setHost("127.0.0.1");
        component.getConfiguration().setPort(port);
        component.getConfiguration().setSsl(true);
        component.getConfiguration().setSslTrustStore(dir.resolve(trustStore).toString());
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
            Await.until("entry received over TLS", 10_000, () -> received.size() == 1);
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
