package io.streamroutes.app;

import io.vertx.ext.auth.authentication.AuthenticationProvider;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.AuthenticationHandler;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.main.ManagementHttpServer;
import org.apache.camel.component.platform.http.vertx.auth.AuthenticationConfig;
import org.apache.camel.main.HttpManagementServerConfigurationProperties;

/**
 * With {@code camel.management.authentication-enabled = true} Camel asks for credentials on every path of the
 * management server; the health probes ({@code /observe/health}, {@code /live}, {@code /ready}) stay open, because a
 * kubelet or load balancer probes without credentials and the answers carry no secret. Metrics, Jolokia and the dev
 * consoles still need them.
 */
final class OpenHealthProbes {

    private OpenHealthProbes() {
    }

    /** Before the management server starts: every authentication entry lets the health paths through. */
    static void install(CamelContext context, HttpManagementServerConfigurationProperties management) {
        ManagementHttpServer server = context.hasService(ManagementHttpServer.class);
        if (server == null || !management.isAuthenticationEnabled() || server.getConfiguration() == null
            || server.getConfiguration().getAuthenticationConfig() == null) {
            return;
        }
        String health = healthPath(management.getPath(), management.getHealthPath());
        for (AuthenticationConfig.AuthenticationConfigEntry entry : server.getConfiguration().getAuthenticationConfig().getEntries()) {
            AuthenticationConfig.AuthenticationHandlerFactory authenticate = entry.getAuthenticationHandlerFactory();
            entry.setAuthenticationHandlerFactory(new AuthenticationConfig.AuthenticationHandlerFactory() {
                @Override
                public <T extends AuthenticationProvider> AuthenticationHandler createAuthenticationHandler(T provider) {
                    return new ExceptHealth(health, authenticate.createAuthenticationHandler(provider));
                }
            });
        }
    }

    /** {@code /observe} + {@code /health}, as the management server mounts it. */
    static String healthPath(String path, String healthPath) {
        String base = path == null || path.equals("/") ? "" : path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        return base + (healthPath.startsWith("/") ? healthPath : "/" + healthPath);
    }

    static boolean isHealth(String health, String requestPath) {
        return requestPath != null && (requestPath.equals(health) || requestPath.startsWith(health + "/"));
    }

    private record ExceptHealth(String health, AuthenticationHandler authenticate) implements AuthenticationHandler {
        @Override
        public void handle(RoutingContext context) {
            if (isHealth(health, context.normalizedPath())) {
                context.next();
            } else {
                authenticate.handle(context);
            }
        }
    }
}
