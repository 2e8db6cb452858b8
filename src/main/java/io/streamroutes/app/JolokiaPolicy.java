package io.streamroutes.app;

import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.plugin.JolokiaPlatformHttpPlugin;
import org.apache.camel.main.MainConfigurationProperties;

/**
 * Which Jolokia policy the management server uses: {@code /jolokia-access.xml} (read-only: {@code read}, {@code list},
 * {@code search}, {@code version}) unless {@code management.jolokia.read-only = false}, then
 * {@code /jolokia-access-read-write.xml} (also {@code exec} and {@code write}). Both allow browsers of this host only
 * (CORS). JMX itself (JConsole, the streams page's actions) is not affected.
 */
final class JolokiaPolicy {

    static final String READ_ONLY_SETTING = "management.jolokia.read-only";
    static final String READ_ONLY = "classpath:/jolokia-access.xml";
    static final String READ_WRITE = "classpath:/jolokia-access-read-write.xml";

    private JolokiaPolicy() {
    }

    static String location(boolean readOnly) {
        return readOnly ? READ_ONLY : READ_WRITE;
    }

    /** Binds the plugin before the management server starts (it looks the plugin up in the registry first). */
    static void install(CamelContext context, MainConfigurationProperties main) {
        if (!main.httpManagementServer().isEnabled() || !main.httpManagementServer().isJolokiaEnabled()) {
            return;
        }
        boolean readOnly = context.getPropertiesComponent().resolveProperty(READ_ONLY_SETTING).map(String::strip)
                .map(v -> !v.equalsIgnoreCase("false")).orElse(true);
        context.getRegistry().bind(JolokiaPlatformHttpPlugin.NAME, new PolicyJolokiaPlugin(location(readOnly)));
    }
}
