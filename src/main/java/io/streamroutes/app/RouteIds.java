package io.streamroutes.app;

import java.nio.file.Path;
import java.util.List;

import org.apache.camel.CamelContext;
import org.apache.camel.Route;

/** The running routes that were loaded from a given route file. */
final class RouteIds {

    private RouteIds() {
    }

    static List<String> of(CamelContext context, Path file) {
        Path wanted = file.toAbsolutePath().normalize();
        return context.getRoutes().stream()
                .filter(r -> r.getSourceResource() != null && r.getSourceResource().getLocation() != null
                             && r.getSourceResource().getLocation().startsWith("file:")
                             && Path.of(r.getSourceResource().getLocation().substring("file:".length())).toAbsolutePath()
                                     .normalize().equals(wanted))
                .map(Route::getRouteId).toList();
    }
}
