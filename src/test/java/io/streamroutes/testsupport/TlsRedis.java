package io.streamroutes.testsupport;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.streamroutes.embedded.EmbeddedRedis;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A TLS-only Redis 7 (Debian's redis-server is built with TLS) on a free loopback port, with a certificate from a test
 * CA: {@link #trustStore()} trusts that CA, {@link #otherTrustStore()} does not. The caller is skipped, with the
 * reason shown, where redis-server or openssl is missing (fails instead under CI: {@link InstalledTools}).
 */
public final class TlsRedis implements AutoCloseable {

    private static final String SERVER = "/usr/bin/redis-server";
    public static final String TRUST_STORE_PASSWORD = "changeit";
    private final Path dir;
    private final Process redis;
    private final int port;

    private TlsRedis(Path dir, Process redis, int port) {
        this.dir = dir;
        this.redis = redis;
        this.port = port;
    }

    public static TlsRedis start() throws Exception {
        InstalledTools.require(new File(SERVER).canExecute() && new File("/usr/bin/openssl").canExecute(),
                "TLS test needs Debian's redis-server (built with TLS) and openssl");
        Path dir = Files.createTempDirectory("redis-tls");
        Files.writeString(dir.resolve("san.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
        run(dir, "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.crt", "-days", "2", "-subj",
                "/CN=redis-stream-routes test CA");
        run(dir, "openssl", "req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=localhost");
        run(dir, "openssl", "x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-out",
                "server.crt", "-days", "2", "-extfile", "san.ext");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        run(dir, keytool, "-importcert", "-noprompt", "-alias", "ca", "-file", "ca.crt", "-keystore", "trust.p12", "-storetype", "PKCS12",
                "-storepass", TRUST_STORE_PASSWORD);
        run(dir, keytool, "-genkeypair", "-alias", "other", "-keyalg", "RSA", "-dname", "CN=other", "-keystore", "other.p12",
                "-storetype", "PKCS12", "-storepass", TRUST_STORE_PASSWORD);
        int port = EmbeddedRedis.freePort();
        Process redis = new ProcessBuilder(SERVER, "--port", "0", "--tls-port", Integer.toString(port), "--bind", "127.0.0.1",
                "--tls-cert-file", "server.crt", "--tls-key-file", "server.key", "--tls-ca-cert-file", "ca.crt",
                "--tls-auth-clients", "no", "--save", "", "--appendonly", "no")
                .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
        TlsRedis tls = new TlsRedis(dir, redis, port);
        await("TLS Redis listening").atMost(Duration.ofSeconds(10)).until(() -> {
            try (var socket = new java.net.Socket("127.0.0.1", port)) {
                return true;
            } catch (Exception e) {
                return false;
            }
        });
        return tls;
    }

    public int port() {
        return port;
    }

    /** PKCS12 trust store with the test CA. */
    public Path trustStore() {
        return dir.resolve("trust.p12");
    }

    /** PKCS12 store that does not trust the test CA. */
    public Path otherTrustStore() {
        return dir.resolve("other.p12");
    }

    public Path caCertificate() {
        return dir.resolve("ca.crt");
    }

    private static void run(Path dir, String... command) throws Exception {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, String.join(" ", command) + ":\n" + out);
    }

    @Override
    public void close() throws InterruptedException {
        redis.destroy();
        redis.waitFor(10, TimeUnit.SECONDS);
    }
}
