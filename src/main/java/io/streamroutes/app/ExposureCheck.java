package io.streamroutes.app;

import java.net.InetAddress;
import java.net.UnknownHostException;

import org.apache.camel.main.HttpManagementServerConfigurationProperties;
import org.apache.camel.main.HttpServerConfigurationProperties;
import org.apache.camel.main.MainConfigurationProperties;

/**
 * Refuses to start an HTTP server (the management server, or the server of the streams page) bound to anything but
 * the loopback interface without authentication: both can stop routes and move or delete entries.
 */
final class ExposureCheck {

    private ExposureCheck() {
    }

    static void check(MainConfigurationProperties main) {
        HttpServerConfigurationProperties server = main.httpServer();
        check("camel.server", server.isEnabled(), server.getHost(), server.isAuthenticationEnabled());
        HttpManagementServerConfigurationProperties management = main.httpManagementServer();
        check("camel.management", management.isEnabled(), management.getHost(), management.isAuthenticationEnabled());
    }

    /** @throws IllegalStateException when an enabled server would listen beyond loopback without authentication */
    static void check(String prefix, boolean enabled, String host, boolean authenticationEnabled) {
        if (!enabled || authenticationEnabled || isLoopback(host)) {
            return;
        }
        throw new IllegalStateException(prefix + ".host = " + host + " is not a loopback address: set "
                                        + prefix + ".authentication-enabled = true (with " + prefix
                                        + ".basic-properties-file or a JWT keystore), or bind to 127.0.0.1 (docs/operating.md)");
    }

    static boolean isLoopback(String host) {
        if (host == null || host.isBlank()) {
            return false; // Camel binds 0.0.0.0 by default
        }
        try {
            for (InetAddress address : InetAddress.getAllByName(host.trim())) {
                if (!address.isLoopbackAddress()) {
                    return false;
                }
            }
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
