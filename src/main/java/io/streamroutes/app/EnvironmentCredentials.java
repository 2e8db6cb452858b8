package io.streamroutes.app;

import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.camel.Ordered;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListener;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.spi.PropertiesSource;

/**
 * Credentials from environment variables, so none has to be written into a file that ships: {@code SMTP_USERNAME}
 * and {@code SMTP_PASSWORD} for {@code notify.smtp.username|password}, {@code PROVIDER_<NAME>_API_KEY} for
 * {@code integration.provider.<name>.api-key}. A {@code -D} option wins (camel-main checks overrides before any
 * source); a variable that is unset or blank leaves the setting undefined, so {@code {{?key}}} stays absent. Redis's
 * REDIS_USERNAME / REDIS_PASSWORD are mapped in application.properties with {@code {{env:...}}}.
 */
public final class EnvironmentCredentials implements PropertiesSource, Ordered {

    static final Map<String, String> FIXED = Map.of(
            "notify.smtp.username", "SMTP_USERNAME",
            "notify.smtp.password", "SMTP_PASSWORD");
    private static final Pattern PROVIDER_KEY = Pattern.compile("integration\\.provider\\.([A-Za-z0-9_-]{1,64})\\.api-key");

    private final Function<String, String> environment;

    public EnvironmentCredentials(Function<String, String> environment) {
        this.environment = environment;
    }

    /** Adds the process's environment as a properties source before camel-main resolves any setting. */
    public static MainListener installer() {
        return new MainListenerSupport() {
            @Override
            public void beforeConfigure(BaseMainSupport main) {
                main.getCamelContext().getPropertiesComponent().addPropertiesSource(new EnvironmentCredentials(System::getenv));
            }
        };
    }

    /** The environment variable that holds {@code key}, or null when the key is not a credential. */
    public static String variableFor(String key) {
        String fixed = FIXED.get(key);
        if (fixed != null) {
            return fixed;
        }
        Matcher m = PROVIDER_KEY.matcher(key);
        return m.matches() ? "PROVIDER_" + m.group(1).toUpperCase(Locale.ROOT).replace('-', '_') + "_API_KEY" : null;
    }

    @Override
    public String getProperty(String name) {
        String variable = variableFor(name);
        String value = variable == null ? null : environment.apply(variable);
        return value == null || value.isBlank() ? null : value.strip();
    }

    @Override
    public String getName() {
        return "environment credentials";
    }

    /** Before the properties files: a credential in the environment wins over one left in a file. */
    @Override
    public int getOrder() {
        return HIGHEST + 1000;
    }
}
