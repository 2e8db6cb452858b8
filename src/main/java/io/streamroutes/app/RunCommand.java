package io.streamroutes.app;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;

/**
 * Runs the routes against the Redis of {@code application.properties} until SIGTERM or Ctrl-C (then exit 0); with
 * {@code --dev} a saved route file of {@code ./routes} replaces its running routes ({@link DevMode}). A failure to start
 * is printed naming the route file, line and key when it is about a route ({@link RouteErrors}), and exits 1.
 */
final class RunCommand {

    private final boolean dev;
    private final PrintWriter err;

    RunCommand(boolean dev, PrintWriter err) {
        this.dev = dev;
        this.err = err;
    }

    int run() {
        Main main = Application.createMain();
        if (dev) {
            DevMode.configure(main);
        }
        StopSignals.onStop(main::completed);
        try {
            return main.run(new String[0]);
        } catch (Exception e) {
            err.println("redis-stream-routes: " + RouteErrors.describe(e, main.getCamelContext(), routeFiles(main)));
            return 1;
        }
    }

    /** The locations of the route files camel-main was loading (its include pattern), for errors that name none. */
    private static List<String> routeFiles(Main main) {
        String patterns = main.configure().getRoutesIncludePattern();
        CamelContext context = main.getCamelContext();
        List<String> files = new ArrayList<>();
        if (patterns == null || context == null) {
            return files;
        }
        try {
            for (String pattern : patterns.split(",")) {
                for (Resource resource : PluginHelper.getPackageScanResourceResolver(context).findResources(pattern.trim())) {
                    files.add(resource.getLocation());
                }
            }
        } catch (Exception e) {
            // no candidates: the error is printed without a file
        }
        return files;
    }
}
