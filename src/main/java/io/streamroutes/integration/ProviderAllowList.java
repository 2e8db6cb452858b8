package io.streamroutes.integration;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import io.streamroutes.component.redisstreams.RedisStreamsNonRetryableException;
import org.apache.camel.Body;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;

/**
 * The providers the integration route may call: only those with an {@code integration.provider.<name>.url}
 * setting. A task names a provider; its URL always comes from the settings, never from the task, so a task cannot
 * make the route call anywhere else.
 */
public class ProviderAllowList implements CamelContextAware {

    /** A provider name is only ever part of a property key, so it is restricted to a plain word. */
    static final Pattern PROVIDER_NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private CamelContext camelContext;

    /** The base URL of the task's provider, without a trailing slash; dead-letters names that are not allow-listed. */
    public String baseUrl(@Body Map<String, String> task) {
        String provider = provider(task);
        String url = setting(provider, "url").orElse("");
        if (url.isBlank()) {
            throw new RedisStreamsNonRetryableException("unknown provider '" + provider
                                                        + "' (no integration.provider." + provider + ".url setting)");
        }
        return checkedUrl(provider, url.strip());
    }

    /** ISO currency code sent with charges: {@code integration.provider.<name>.currency}, default usd. */
    public String currency(@Body Map<String, String> task) {
        return setting(provider(task), "currency").filter(s -> !s.isBlank()).orElse("usd").strip();
    }

    /** Secret sent as {@code Authorization: Bearer ...} when {@code integration.provider.<name>.api-key} is set. */
    public String apiKey(@Body Map<String, String> task) {
        return setting(provider(task), "api-key").orElse("").strip();
    }

    static String provider(Map<String, String> task) {
        String provider = task.get("provider");
        if (provider == null || provider.isEmpty()) {
            throw new RedisStreamsNonRetryableException("task without provider");
        }
        if (!PROVIDER_NAME.matcher(provider).matches()) {
            throw new RedisStreamsNonRetryableException("unknown provider '" + Tasks.printable(provider)
                                                        + "' (a provider is a name such as stripe, never a URL)");
        }
        return provider;
    }

    private Optional<String> setting(String provider, String name) {
        return camelContext.getPropertiesComponent().resolveProperty("integration.provider." + provider + "." + name);
    }

    /** A broken setting is the operator's to fix, not the task's fault: the task stays pending meanwhile. */
    private static String checkedUrl(String provider, String url) {
        try {
            URI uri = new URI(url);
            boolean web = "http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme());
            if (!web || uri.getHost() == null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
                throw new IllegalStateException("integration.provider." + provider + ".url must be an http(s) URL without "
                                                + "query or fragment, e.g. https://api.stripe.com");
            }
        } catch (URISyntaxException e) {
            throw new IllegalStateException("integration.provider." + provider + ".url is not a valid URL: " + e.getMessage(), e);
        }
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
    }
}
