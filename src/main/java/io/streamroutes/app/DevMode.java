package io.streamroutes.app;

import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.camel.main.Main;

/**
 * {@code --dev}: the routes run as usual, and saving a file in {@code ./routes} reloads the routes of that file only
 * (camel-main's route reloading, checked first by {@link ValidatingRouteReloadStrategy}). Not for production: an edit
 * on a server would change what runs without a release.
 */
final class DevMode {

    /** A stopping consumer waits for its current blocking read: keep that short so a reload takes about a second. */
    static final String DEV_BLOCK_MS = "1000";

    private DevMode() {
    }

    static void configure(Main main) {
        if (!Files.isDirectory(Path.of("routes"))) {
            throw new IllegalStateException("--dev reloads the route files of ./routes, but there is no routes directory in "
                                            + Path.of("").toAbsolutePath());
        }
        // lowest precedence: application.properties or -D can still change them
        main.addInitialProperty("camel.main.routes-reload-enabled", "true");
        main.addInitialProperty("camel.main.routes-reload-directory", "routes");
        main.addInitialProperty("camel.main.routes-reload-pattern", "*.yaml");
        main.addInitialProperty("camel.main.routes-reload-remove-all-routes", "false");
        for (String key : Scenarios.settings("block-ms")) {
            if (System.getProperty(key) == null) {
                main.addOverrideProperty(key, DEV_BLOCK_MS);
            }
        }
    }
}
