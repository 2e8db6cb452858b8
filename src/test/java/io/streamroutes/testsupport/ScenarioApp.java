package io.streamroutes.testsupport;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

import io.streamroutes.app.Application;
import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;

/**
 * The real application (camel-main, the repository's application.properties and route files) started in-process,
 * with properties overridden the way {@code -Dkey=value} would, for end-to-end scenario tests.
 */
public final class ScenarioApp implements AutoCloseable {

    private final Main main;

    private ScenarioApp(Main main) {
        this.main = main;
    }

    /**
     * Starts the application with only the given route files (e.g. {@code routes/notifications.yaml}) and the
     * given property overrides; Redis connection properties are set from {@code redis}. Without route files no YAML
     * is loaded (e.g. for Java DSL routes given with {@code camel.main.routes-builder-classes}).
     */
    public static ScenarioApp start(String redisHost, int redisPort, Map<String, String> overrides, String... routeFiles)
            throws Exception {
        Map<String, String> props = new LinkedHashMap<>();
        props.put("camel.component.redis-streams.host", redisHost);
        props.put("camel.component.redis-streams.port", Integer.toString(redisPort));
        // without files: camel-main's default location (it must not be empty), which holds nothing in this project
        props.put("camel.main.routes-include-pattern",
                routeFiles.length == 0 ? "classpath:camel/*.yaml" : "file:" + String.join(",file:", routeFiles));
        props.put("camel.main.shutdown-timeout", "10");
        // no HTTP servers unless a test asks for them (on free ports, never the shipped 9876/8080)
        props.put("camel.management.enabled", "false");
        props.put("camel.server.enabled", "false");
        props.putAll(overrides);
        Main main = Application.createMain();
        Properties override = new Properties();
        override.putAll(props);
        main.setOverrideProperties(override);
        main.start();
        return new ScenarioApp(main);
    }

    public CamelContext context() {
        return main.getCamelContext();
    }

    @Override
    public void close() {
        main.stop();
    }
}
