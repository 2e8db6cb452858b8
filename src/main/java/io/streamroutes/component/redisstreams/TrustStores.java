package io.streamroutes.component.redisstreams;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/** TLS socket factories trusting a given trust store (PKCS12 or JKS, detected from the file), or the JVM's default. */
final class TrustStores {

    private TrustStores() {
    }

    static SSLSocketFactory socketFactory(String trustStore, String password) {
        if (trustStore == null || trustStore.isBlank()) {
            return (SSLSocketFactory) SSLSocketFactory.getDefault();
        }
        Path file = Path.of(trustStore);
        if (!Files.isReadable(file)) {
            throw new IllegalArgumentException("Invalid option sslTrustStore=" + trustStore + ": no readable file there");
        }
        try {
            char[] secret = password == null ? null : password.toCharArray();
            KeyStore store = KeyStore.getInstance(file.toFile(), secret);
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(null, trust.getTrustManagers(), null);
            return tls.getSocketFactory();
        } catch (Exception e) {
            throw new IllegalArgumentException("Cannot use sslTrustStore=" + trustStore + ": " + e.getMessage(), e);
        }
    }
}
