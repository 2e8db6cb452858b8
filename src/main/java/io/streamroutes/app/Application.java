package io.streamroutes.app;

import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import io.streamroutes.analytics.ManagedReportReplay;
import io.streamroutes.page.PageServerEngine;
import io.streamroutes.page.StreamsPageRoute;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;

/**
 * Entry point of the runnable jar, and the camel-main every command builds on: {@link ApplicationCommand} parses the
 * command line and runs one of the commands ({@link RunCommand}, {@link ReplayCommand}, {@link ValidateCommand},
 * {@link DeadLetterCommand}, the demo). {@code application.properties} and {@code routes/*.yaml} are read from the
 * working directory, with the packaged copies as fallback.
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
                    InflightGaugeOnRestart.install(configured.getCamelContext());
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

    /** Parses and runs the command line ({@link ApplicationCommand}); returns the exit code. */
    static int run(String... args) {
        return ApplicationCommand.commandLine(new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true),
                new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true)).execute(args);
    }

    /** Command-line tools print their own results: only warnings and errors from the libraries. */
    static void quietLogging() {
        if (System.getProperty("LOG_LEVEL") == null && System.getenv("LOG_LEVEL") == null) {
            System.setProperty("LOG_LEVEL", "WARN"); // read by logback.xml
        }
    }

    /**
     * camel-main for a command-line tool: the application's configuration, but no HTTP servers, JMX, health checks,
     * metrics, dev consoles, reloading or summary logs; the routes of {@code routesIncludePattern}, or none when null.
     */
    static Main toolMain(String name, String routesIncludePattern) {
        Main main = createMain();
        Properties p = new Properties();
        p.put("camel.main.name", name);
        if (routesIncludePattern != null) {
            p.put("camel.main.routes-include-pattern", routesIncludePattern);
        } else {
            p.put("camel.main.routes-collector-enabled", "false");
        }
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

    static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() != null ? root.getMessage() : root.getClass().getName();
        return root == e ? message : e.getMessage() + (e.getMessage() != null && e.getMessage().contains(message) ? "" : ": " + message);
    }
}
