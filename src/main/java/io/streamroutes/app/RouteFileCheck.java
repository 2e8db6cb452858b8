package io.streamroutes.app;

import java.nio.file.Path;
import java.util.List;

import org.apache.camel.main.Main;
import org.apache.camel.model.Model;
import org.apache.camel.model.RouteDefinition;

/**
 * Loads one route file the way the application does (same properties, beans, component options) into a CamelContext
 * whose routes are created but never started: YAML, endpoint options, placeholders and bean references are all
 * checked, and nothing connects to Redis, SMTP or HTTP (only starting a consumer or sending does).
 * <p>
 * Each file is checked on its own, so a route file must not depend on beans or routes of another file.
 */
public final class RouteFileCheck {

    /** The outcome for one file: the route ids it defines, or the one-line problem. */
    public record Result(Path file, List<String> routeIds, String problem) {

        public boolean ok() {
            return problem == null;
        }

        @Override
        public String toString() {
            return ok() ? "OK      " + file + " (routes: " + String.join(", ", routeIds) + ")" : "FAILED  " + problem;
        }
    }

    private RouteFileCheck() {
    }

    public static Result check(Path file) {
        Main main = Application.toolMain("route-check", "file:" + file);
        main.addOverrideProperty("camel.main.auto-startup", "false");
        try {
            main.start();
            List<String> ids = main.getCamelContext().getCamelContextExtension().getContextPlugin(Model.class)
                    .getRouteDefinitions().stream().map(RouteDefinition::getRouteId).toList();
            return new Result(file, ids, null);
        } catch (Exception e) {
            return new Result(file, List.of(), RouteErrors.describe(e, main.getCamelContext(), List.of(file.toString())));
        } finally {
            try {
                main.stop();
            } catch (RuntimeException ignored) {
                // a context that failed to start may fail to stop too; nothing of it is running
            }
        }
    }
}
