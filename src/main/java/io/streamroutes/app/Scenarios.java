package io.streamroutes.app;

import java.util.List;

/**
 * The settings prefixes of the four scenarios ({@code <prefix>.enabled}, {@code <prefix>.block-ms}, ... in
 * {@code application.properties} and the route files): the one list the commands override settings through.
 */
public final class Scenarios {

    /** notifications, media, analytics, integration, as their settings name them. */
    public static final List<String> SETTINGS_PREFIXES = List.of("notify", "media", "analytics", "integration");

    private Scenarios() {
    }

    /** {@code <prefix>.<suffix>} for every scenario, e.g. {@code settings("block-ms")}. */
    public static List<String> settings(String suffix) {
        return SETTINGS_PREFIXES.stream().map(prefix -> prefix + "." + suffix).toList();
    }
}
