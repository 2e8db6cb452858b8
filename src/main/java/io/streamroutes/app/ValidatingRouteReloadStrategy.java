package io.streamroutes.app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;

import org.apache.camel.CamelContext;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListener;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.RouteWatcherReloadStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * camel-main's route reloading ({@code camel.main.routes-reload-*}), made safe for a running consumer: a changed file
 * is first checked in a separate, never started context ({@link RouteFileCheck}) and only reloaded when it is valid.
 * <p>
 * Why: on reload Camel stops and removes the file's routes before it creates the new ones, so a file with an unknown
 * endpoint option, a missing placeholder or an unknown bean would leave those routes removed until the file is fixed.
 * (A YAML syntax error alone would not: it fails while parsing, before anything is removed.) With the check, a broken
 * file is reported in one ERROR line and the previous version keeps running.
 */
final class ValidatingRouteReloadStrategy extends RouteWatcherReloadStrategy {

    private static final Logger LOG = LoggerFactory.getLogger(ValidatingRouteReloadStrategy.class);

    private ValidatingRouteReloadStrategy(RouteWatcherReloadStrategy configured) {
        super(configured.getFolder(), configured.isRecursive());
        setPattern(configured.getPattern());
        setRemoveAllRoutes(configured.isRemoveAllRoutes());
    }

    /** Replaces the reload strategy camel-main configured (if route reloading is on) with this one, same settings. */
    static MainListener installer() {
        return new MainListenerSupport() {
            @Override
            public void afterConfigure(BaseMainSupport main) {
                CamelContext context = main.getCamelContext();
                RouteWatcherReloadStrategy configured = context.hasService(RouteWatcherReloadStrategy.class);
                if (configured != null && !(configured instanceof ValidatingRouteReloadStrategy)) {
                    try {
                        ValidatingRouteReloadStrategy validating = new ValidatingRouteReloadStrategy(configured);
                        // camel-main has already scheduled it to start, which removing it does not undo: without a
                        // folder it starts without watching anything
                        configured.setFolder(null);
                        context.removeService(configured);
                        context.addService(validating);
                    } catch (Exception e) {
                        throw new IllegalStateException("Cannot install route reloading: " + e.getMessage(), e);
                    }
                }
            }
        };
    }

    @Override
    protected void onRouteReload(Collection<Resource> resources, boolean removeEverything) {
        List<Path> files = resources == null ? List.of()
                : resources.stream().map(ValidatingRouteReloadStrategy::fileOf).filter(f -> f != null && Files.isRegularFile(f)).toList();
        for (Path file : files) {
            RouteFileCheck.Result check = RouteFileCheck.check(file);
            if (!check.ok()) {
                LOG.error("Route file {} was NOT reloaded, the running version of its routes is kept: {}", file, check.problem());
                return;
            }
        }
        long started = System.currentTimeMillis();
        LOG.info("Reloading route file {}: its routes stop reading, finish their in-flight entries, then restart", files);
        super.onRouteReload(resources, removeEverything);
        List<String> ids = files.stream().flatMap(f -> RouteIds.of(getCamelContext(), f).stream()).toList();
        LOG.info("Reloaded route file {} in {} ms: routes {}", files, System.currentTimeMillis() - started, ids);
    }

    private static Path fileOf(Resource resource) {
        String location = resource.getLocation();
        return location != null && location.startsWith("file:") ? Path.of(location.substring("file:".length())) : null;
    }
}
