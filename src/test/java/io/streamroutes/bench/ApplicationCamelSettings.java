package io.streamroutes.bench;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import org.apache.camel.CamelContext;
import org.apache.camel.ManagementStatisticsLevel;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.main.DefaultConfigurationConfigurer;
import org.apache.camel.main.MainConfigurationProperties;

/**
 * The settings of the application's {@code application.properties} that change what one exchange costs (exchange
 * factory, JMX statistics level, stream-caching deny list), applied to the benchmark's plain Camel context the way
 * camel-main applies them, so that "our route" runs as the application runs it. Other keys keep camel-main's defaults.
 * {@code -Dbench.application.properties=<file>} (in BENCH_JAVA_OPTS) reads another file, to measure other settings.
 */
final class ApplicationCamelSettings {

    static final Path FILE = Path.of(System.getProperty("bench.application.properties", "application.properties"));

    private ApplicationCamelSettings() {
    }

    /** A plain Camel context with these settings applied. */
    static CamelContext newContext() {
        CamelContext context = new DefaultCamelContext();
        apply(context);
        return context;
    }

    static void apply(CamelContext context) {
        Properties app = load();
        MainConfigurationProperties main = new MainConfigurationProperties();
        String factory = app.getProperty("camel.main.exchange-factory");
        if (factory != null) {
            main.setExchangeFactory(factory.trim());
        }
        String level = app.getProperty("camel.main.jmx-management-statistics-level");
        if (level != null) {
            main.setJmxManagementStatisticsLevel(ManagementStatisticsLevel.valueOf(level.trim()));
        }
        String deny = app.getProperty("camel.main.stream-caching-deny-classes");
        if (deny != null) {
            main.setStreamCachingDenyClasses(deny.trim());
        }
        try {
            DefaultConfigurationConfigurer.configure(context, main);
        } catch (Exception e) {
            throw new IllegalStateException("could not apply " + FILE + " to the benchmark's Camel context", e);
        }
    }

    private static Properties load() {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(FILE)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new IllegalStateException("the benchmark runs from the project folder, which has " + FILE, e);
        }
        return properties;
    }
}
