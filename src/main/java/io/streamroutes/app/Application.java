package io.streamroutes.app;

import org.apache.camel.main.Main;

/**
 * Runs the scenario routes with camel-main: {@code application.properties} and {@code routes/*.yaml} are read from
 * the working directory, with the packaged copies as fallback.
 */
public final class Application {

    /** Placeholder locations: the packaged defaults first, then the working directory's file, which overrides them. */
    public static final String PROPERTY_LOCATIONS = "classpath:application.properties;optional=true,"
                                                    + "file:application.properties;optional=true";

    private Application() {
    }

    public static Main createMain() {
        Main main = new Main(Application.class);
        main.setPropertyPlaceholderLocations(PROPERTY_LOCATIONS);
        return main;
    }

    public static void main(String[] args) throws Exception {
        System.exit(createMain().run(args));
    }
}
