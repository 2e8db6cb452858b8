package io.streamroutes.testsupport;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A private certificate authority made with the JDK's keytool: {@link #trustStore()} holds only the CA certificate,
 * {@link #serverKeyStore()} a key for {@code localhost} / {@code 127.0.0.1} signed by it (with the chain). No JVM
 * trusts this CA unless told to.
 */
public final class PrivateCa {

    public static final String PASSWORD = "changeit";
    private final Path dir;

    private PrivateCa(Path dir) {
        this.dir = dir;
    }

    public static PrivateCa create() throws Exception {
        Path dir = Files.createTempDirectory("private-ca");
        PrivateCa ca = new PrivateCa(dir);
        ca.keytool("-genkeypair", "-alias", "ca", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=redis-stream-routes test CA",
                "-ext", "bc:c", "-validity", "2", "-keystore", "ca.p12", "-storetype", "PKCS12", "-storepass", PASSWORD);
        ca.keytool("-exportcert", "-alias", "ca", "-keystore", "ca.p12", "-storepass", PASSWORD, "-rfc", "-file", "ca.pem");
        ca.keytool("-genkeypair", "-alias", "server", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=localhost", "-validity", "2",
                "-keystore", "server.p12", "-storetype", "PKCS12", "-storepass", PASSWORD);
        ca.keytool("-certreq", "-alias", "server", "-keystore", "server.p12", "-storepass", PASSWORD, "-file", "server.csr");
        ca.keytool("-gencert", "-alias", "ca", "-keystore", "ca.p12", "-storepass", PASSWORD, "-infile", "server.csr", "-outfile",
                "server.pem", "-rfc", "-validity", "2", "-ext", "san=ip:127.0.0.1,dns:localhost");
        ca.keytool("-importcert", "-noprompt", "-alias", "ca", "-file", "ca.pem", "-keystore", "server.p12", "-storepass", PASSWORD);
        ca.keytool("-importcert", "-alias", "server", "-file", "server.pem", "-keystore", "server.p12", "-storepass", PASSWORD);
        ca.keytool("-importcert", "-noprompt", "-alias", "ca", "-file", "ca.pem", "-keystore", "trust.p12", "-storetype", "PKCS12",
                "-storepass", PASSWORD);
        return ca;
    }

    /** PKCS12 with the CA certificate only (password {@link #PASSWORD}). */
    public Path trustStore() {
        return dir.resolve("trust.p12");
    }

    /** PKCS12 with the server key and its chain (password {@link #PASSWORD}). */
    public Path serverKeyStore() {
        return dir.resolve("server.p12");
    }

    /** TLS for a server presenting {@link #serverKeyStore()}. */
    public SSLContext serverContext() throws Exception {
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(load(serverKeyStore()), PASSWORD.toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        return context;
    }

    /** TLS for a client trusting this CA only. */
    public SSLContext clientContext() throws Exception {
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(load(trustStore()));
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }

    private static PrivateCa forGreenMail;

    /**
     * The CA whose key every GreenMail SMTPS server of this JVM uses. GreenMail reads its key from system properties
     * when its first SMTPS server starts and keeps that server socket factory for the JVM's life, so tests sharing a
     * JVM (surefire's one fork) must share one CA: a second CA's key would never be served.
     */
    public static synchronized PrivateCa forGreenMail() throws Exception {
        if (forGreenMail == null) {
            forGreenMail = create();
            System.setProperty("greenmail.tls.keystore.file", forGreenMail.serverKeyStore().toString());
            System.setProperty("greenmail.tls.keystore.password", PASSWORD);
            System.setProperty("greenmail.tls.key.password", PASSWORD);
        }
        return forGreenMail;
    }

    private static KeyStore load(Path file) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, PASSWORD.toCharArray());
        }
        return store;
    }

    private void keytool(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("keytool " + String.join(" ", args) + " failed: " + out);
        }
    }
}
