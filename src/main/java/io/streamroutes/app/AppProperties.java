package io.streamroutes.app;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.streamroutes.component.redisstreams.RedisStreamsConfiguration;

/**
 * The application's configuration for the command-line tools, resolved as camel-main resolves it for the routes:
 * packaged {@code application.properties}, then the working directory's, then {@code -Dkey=value}.
 */
public final class AppProperties {

    static final String COMPONENT = "camel.component.redis-streams.";

    private final Properties properties = new Properties();

    private AppProperties() {
    }

    public static AppProperties load() {
        AppProperties p = new AppProperties();
        try (InputStream packaged = AppProperties.class.getClassLoader().getResourceAsStream("application.properties")) {
            if (packaged != null) {
                p.properties.load(packaged);
            }
            Path local = Path.of("application.properties");
            if (Files.isRegularFile(local)) {
                try (Reader r = Files.newBufferedReader(local)) {
                    p.properties.load(r);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read application.properties: " + e.getMessage(), e);
        }
        System.getProperties().forEach((k, v) -> p.properties.put(k, v));
        return p;
    }

    /** The value, with {@code {{env:NAME:default}}} resolved as camel-main resolves it for the routes. */
    public String get(String key, String defaultValue) {
        String value = properties.getProperty(key);
        if (value != null) {
            value = resolveEnvironment(value.trim());
        }
        return value == null || value.isBlank() ? defaultValue : value;
    }

    private static final Pattern ENV = Pattern.compile("\\{\\{env:([A-Za-z0-9_]+)(?::([^}]*))?}}");

    static String resolveEnvironment(String value) {
        Matcher m = ENV.matcher(value);
        StringBuilder resolved = new StringBuilder();
        while (m.find()) {
            String env = System.getenv(m.group(1));
            m.appendReplacement(resolved, Matcher.quoteReplacement(env != null ? env : m.group(2) != null ? m.group(2) : ""));
        }
        m.appendTail(resolved);
        return resolved.toString();
    }

    /** The redis-streams component's connection options. */
    public RedisStreamsConfiguration redisConnection() {
        RedisStreamsConfiguration c = new RedisStreamsConfiguration();
        c.setHost(get(COMPONENT + "host", "localhost"));
        c.setPort(intValue(COMPONENT + "port", 6379));
        c.setUsername(get(COMPONENT + "username", null));
        c.setPassword(get(COMPONENT + "password", null));
        c.setDatabase(intValue(COMPONENT + "database", 0));
        c.setSsl(Boolean.parseBoolean(get(COMPONENT + "ssl", "false")));
        return c;
    }

    private int intValue(String key, int defaultValue) {
        String v = get(key, null);
        if (v == null) {
            return defaultValue;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Invalid value for " + key + ": '" + v + "' is not a number");
        }
    }
}
