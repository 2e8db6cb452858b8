package io.streamroutes.app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;

import io.streamroutes.demo.DemoMode;
import io.streamroutes.page.PageServerEngine;
import io.streamroutes.page.StreamsPageRoute;
import io.streamroutes.analytics.ManagedReportReplay;
import io.streamroutes.analytics.ReportReplay;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;

/**
 * Entry point of the runnable jar.
 * <ul>
 * <li>no arguments: run the routes against the Redis configured in {@code application.properties};</li>
 * <li>{@code --dev}: the same, reloading a route file of {@code ./routes} when it changes ({@link DevMode});</li>
 * <li>{@code validate [routes-dir]}: check route files without running them ({@link ValidateCommand});</li>
 * <li>{@code --demo [--exit-after-seconds N]}: run everything against embedded stand-ins;</li>
 * <li>{@code dlq list|requeue|purge ...}: dead-letter tooling.</li>
 * </ul>
 * {@code application.properties} and {@code routes/*.yaml} are read from the working directory, with the packaged
 * copies as fallback.
 */
public final class Application {

    /**
     * Placeholder locations, key by key: the working directory's file wins over the packaged defaults (Camel takes a key
     * from the first location that has it; -D wins over both).
     */
    public static final String PROPERTY_LOCATIONS = "file:application.properties;optional=true,"
                                                    + "classpath:application.properties;optional=true";

    private Application() {
    }

    public static Main createMain() {
        Main main = new Main(Application.class);
        main.setPropertyPlaceholderLocations(PROPERTY_LOCATIONS);
        // lowest precedence: application.properties or -D can point elsewhere
        main.addInitialProperty("camel.main.routes-include-pattern",
                Files.isDirectory(Path.of("routes")) ? "file:routes/*.yaml" : "classpath:routes/*.yaml");
        // media work is CPU-bound: one task per core unless media.concurrency says otherwise
        main.addInitialProperty("media.concurrency", Integer.toString(Runtime.getRuntime().availableProcessors()));
        // camel.main.routes-reload-enabled (or --dev): a changed route file is checked before it replaces the running one
        main.addMainListener(ValidatingRouteReloadStrategy.installer());
        main.addMainListener(EnvironmentCredentials.installer());
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void afterConfigure(BaseMainSupport configured) {
                // in every mode (run, start, demo, replay): once the context is up, expose the analytics replay
                try {
                    ExposureCheck.check(configured.configure());
                    JolokiaPolicy.install(configured.getCamelContext(), configured.configure());
                    OpenHealthProbes.install(configured.getCamelContext(), configured.configure().httpManagementServer());
                    if (configured.configure().httpServer().isEnabled()) {
                        configured.getCamelContext().getRegistry().bind(PageServerEngine.NAME, new PageServerEngine());
                        configured.getCamelContext().addRoutes(
                                new StreamsPageRoute(ExposureCheck.isLoopback(configured.configure().httpServer().getHost())));
                    }
                    configured.getCamelContext().addStartupListener(new StartupListener() {
                        @Override
                        public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
                        }

                        @Override
                        public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) throws Exception {
                            ManagedReportReplay.registerIfPresent(context);
                        }
                    });
                } catch (IllegalStateException e) {
                    throw e;
                } catch (Exception e) {
                    throw new IllegalStateException("Cannot set up monitoring: " + e.getMessage(), e);
                }
            }
        });
        return main;
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String[] args) {
        List<String> arguments = Arrays.asList(args);
        try {
            if (!arguments.isEmpty() && arguments.get(0).equals("dlq")) {
                quietLogging();
                return new DeadLetterCommand(System.out, System.err).run(arguments.subList(1, arguments.size()));
            }
            if (!arguments.isEmpty() && arguments.get(0).equals("validate")) {
                quietLogging();
                return new ValidateCommand(System.out, System.err).run(arguments.subList(1, arguments.size()));
            }
            int replay = arguments.indexOf("--replay");
            if (replay >= 0) {
                return replay(arguments.subList(replay + 1, arguments.size()));
            }
            if (arguments.contains("--demo")) {
                return DemoMode.run(arguments);
            }
            if (arguments.contains("--help") || arguments.contains("-h")) {
                System.out.println(usage());
                return 0;
            }
            return runRoutes(arguments);
        } catch (Exception e) {
            System.err.println("redis-stream-routes: " + rootMessage(e));
            return 1;
        }
    }

    private static int runRoutes(List<String> arguments) {
        Main main = createMain();
        if (arguments.contains("--dev")) {
            DevMode.configure(main);
        }
        StopSignals.onStop(main::completed);
        try {
            return main.run(arguments.stream().filter(a -> !a.equals("--dev")).toArray(String[]::new));
        } catch (Exception e) {
            // names the route file, line and key when the failure is about a route
            System.err.println("redis-stream-routes: " + RouteErrors.describe(e, main.getCamelContext()));
            return 1;
        }
    }

    /** Command-line tools print their own results: only warnings and errors from the libraries. */
    private static void quietLogging() {
        if (System.getProperty("LOG_LEVEL") == null && System.getenv("LOG_LEVEL") == null) {
            System.setProperty("LOG_LEVEL", "WARN"); // read by logback.xml
        }
    }

    /** {@code --replay analytics}: rebuild the daily reports once, with the routes' configuration, and exit. */
    static int replay(List<String> what) throws Exception {
        if (what.isEmpty() || !what.get(0).equals("analytics")) {
            System.err.println("usage: --replay analytics");
            return 2;
        }
        Main main = createMain();
        // load the routes for their beans and settings, but consume nothing while replaying
        for (String scenario : new String[] { "notify", "media", "analytics", "integration" }) {
            main.addOverrideProperty(scenario + ".enabled", "false");
        }
        noHttpServers(main);
        main.start();
        try {
            ReportReplay replay = main.getCamelContext().getRegistry().findSingleByType(ReportReplay.class);
            if (replay == null) {
                System.err.println("no analytics route file (routes/analytics.yaml) is loaded");
                return 1;
            }
            System.out.println(replay.replay());
            return 0;
        } finally {
            main.stop();
        }
    }

    /**
     * camel-main for a command-line tool: the application's configuration, but no HTTP servers, JMX, health checks,
     * metrics, dev consoles, reloading or summary logs.
     */
    static Main toolMain(String name, String routesIncludePattern) {
        Main main = createMain();
        Properties p = new Properties();
        p.put("camel.main.name", name);
        p.put("camel.main.routes-include-pattern", routesIncludePattern);
        p.put("camel.main.routes-reload-enabled", "false");
        p.put("camel.main.jmx-enabled", "false");
        p.put("camel.main.dev-console-enabled", "false");
        p.put("camel.main.auto-configuration-log-summary", "false");
        p.put("camel.main.startup-summary-level", "Off");
        p.put("camel.health.enabled", "false");
        p.put("camel.metrics.enabled", "false");
        p.put("camel.management.enabled", "false");
        p.put("camel.server.enabled", "false");
        main.setOverrideProperties(p);
        // the scan of io.streamroutes.app takes seconds in the shaded jar and finds nothing: the application binds
        // no beans, converters or RouteBuilders by scanning (ApplicationPackageScanTest keeps it that way)
        main.configure().setBasePackageScan(null);
        main.configure().setBasePackageScanEnabled(false);
        return main;
    }

    /** One-shot commands serve nothing over HTTP (and must not take the running application's ports). */
    public static void noHttpServers(Main main) {
        main.addOverrideProperty("camel.management.enabled", "false");
        main.addOverrideProperty("camel.server.enabled", "false");
    }

    /** SIGTERM / Ctrl-C run {@code stop} instead of killing the JVM, so the caller can stop in order and exit 0. */
    public static void onStopSignal(Runnable stop) {
        StopSignals.onStop(stop);
    }

    static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() != null ? root.getMessage() : root.getClass().getName();
        return root == e ? message : e.getMessage() + (e.getMessage() != null && e.getMessage().contains(message) ? "" : ": " + message);
    }

    static String usage() {
        return """
                usage: java -jar redis-stream-routes.jar                      run the routes (application.properties, routes/*.yaml)
                       java -jar redis-stream-routes.jar --dev                run, and reload a route file of ./routes when it is saved
                       java -jar redis-stream-routes.jar validate [routes-dir|file.yaml ...]
                                                                              check route files and placeholders without running them
                       java -jar redis-stream-routes.jar --demo [--exit-after-seconds N]
                                                                              run with embedded Redis, SMTP and HTTP stand-ins
                       java -jar redis-stream-routes.jar --replay analytics    rebuild report:daily:* from business:events, then exit
                       java -jar redis-stream-routes.jar dlq list <stream> [--max N]
                       java -jar redis-stream-routes.jar dlq requeue <stream> <id|--all>
                       java -jar redis-stream-routes.jar dlq purge <stream>
                Any setting can be overridden with -Dkey=value before -jar.""";
    }
}
