package io.streamroutes.app;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import org.apache.camel.main.HttpManagementServerConfigurationProperties;
import org.apache.camel.main.HttpServerConfigurationProperties;
import org.apache.camel.main.MainConfigurationProperties;

/**
 * Refuses to start an HTTP server (the management server, or the server of the streams page) bound to anything but
 * the loopback interface without authentication: both can stop routes and move or delete entries. Authentication
 * turned on needs someone to authenticate: a users file that exists and names at least one user, or a JWT keystore.
 */
final class ExposureCheck {

    private ExposureCheck() {
    }

    static void check(MainConfigurationProperties main) {
        HttpServerConfigurationProperties server = main.httpServer();
        check("camel.server", server.isEnabled(), server.getHost(), server.isAuthenticationEnabled());
        checkUsers("camel.server", server.isEnabled() && server.isAuthenticationEnabled(), server.getBasicPropertiesFile(),
                server.getJwtKeystorePath());
        HttpManagementServerConfigurationProperties management = main.httpManagementServer();
        check("camel.management", management.isEnabled(), management.getHost(), management.isAuthenticationEnabled());
        checkUsers("camel.management", management.isEnabled() && management.isAuthenticationEnabled(),
                management.getBasicPropertiesFile(), management.getJwtKeystorePath());
    }

    /**
     * @param authenticating the server is on with authentication
     * @param usersFile      {@code <prefix>.basic-properties-file}: Vert.x reads it from the file system, else the class path
     * @param jwtKeystore    {@code <prefix>.jwt-keystore-path}: authentication by JWT instead of a users file
     * @throws IllegalStateException when authentication is on with no users file, one that cannot be read, or one
     *                               naming no user, and no JWT keystore
     */
    static void checkUsers(String prefix, boolean authenticating, String usersFile, String jwtKeystore) {
        if (!authenticating || (jwtKeystore != null && !jwtKeystore.isBlank())) {
            return;
        }
        String how = " (Vert.x properties format, a line user.<name> = <password> per user; or set " + prefix
                     + ".jwt-keystore-path; docs/operating.md)";
        if (usersFile == null || usersFile.isBlank()) {
            throw new IllegalStateException(prefix + ".authentication-enabled = true but " + prefix
                                            + ".basic-properties-file is not set: set it to the file of the users allowed in" + how);
        }
        Properties users = new Properties();
        try (InputStream in = open(usersFile.strip())) {
            if (in == null) {
                throw new IllegalStateException(prefix + ".basic-properties-file = " + usersFile + " does not exist" + how);
            }
            users.load(in);
        } catch (IOException e) {
            throw new IllegalStateException(prefix + ".basic-properties-file = " + usersFile + " cannot be read: " + e.getMessage() + how, e);
        }
        if (users.stringPropertyNames().stream().noneMatch(name -> name.startsWith("user.") && name.length() > "user.".length())) {
            throw new IllegalStateException(prefix + ".basic-properties-file = " + usersFile + " names no user" + how);
        }
    }

    /** The file, else the class path resource (where Vert.x looks too); null when neither exists. */
    private static InputStream open(String location) throws IOException {
        Path file = Path.of(location);
        if (Files.isRegularFile(file)) {
            return Files.newInputStream(file);
        }
        return Thread.currentThread().getContextClassLoader().getResourceAsStream(location.startsWith("/") ? location.substring(1) : location);
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
