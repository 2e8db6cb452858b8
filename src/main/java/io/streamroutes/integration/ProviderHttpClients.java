package io.streamroutes.integration;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.Endpoint;
import org.apache.camel.StartupListener;
import org.apache.camel.component.http.HttpEndpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the HTTP endpoint and client of every allow-listed provider ({@code integration.provider.<name>.url}) when
 * the Camel context starts, before any consumer does (and at once when the route file is loaded again into a running
 * context). The route calls the provider with {@code toD}, which would otherwise create them, and load their classes,
 * on the first exchanges of a fresh process, holding those calls up after they took their rate-limit slots. The
 * endpoint is the one the route's {@code toD} then finds: {@link #setUri uri} must be the route's, with {@code {url}}
 * where the provider's URL goes.
 */
public class ProviderHttpClients implements CamelContextAware, StartupListener {

    private static final Logger LOG = LoggerFactory.getLogger(ProviderHttpClients.class);
    private static final Pattern URL_SETTING = Pattern.compile("integration\\.provider\\.([^.]+)\\.url");

    private CamelContext camelContext;
    private String uri;

    @Override
    public void onCamelContextStarting(CamelContext context, boolean alreadyStarted) {
        create();
    }

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
        if (alreadyStarted) {
            create(); // added to a running context (a route file loaded again): its routes start after this
        }
    }

    /** Creates the endpoint and client of each provider with a URL; a broken URL is left to the tasks to report. */
    void create() {
        ProviderAllowList allowList = new ProviderAllowList();
        allowList.setCamelContext(camelContext);
        for (String provider : providers()) {
            try {
                String url = allowList.baseUrl(Map.of("provider", provider));
                Endpoint endpoint = camelContext.getEndpoint(uri.replace("{url}", url));
                if (endpoint instanceof HttpEndpoint http) {
                    http.getHttpClient();
                }
                LOG.debug("HTTP client of provider '{}' created", provider);
            } catch (RuntimeException e) {
                LOG.debug("HTTP client of provider '{}' not created at start: {}", provider, e.toString());
            }
        }
    }

    /** The names of the providers with an {@code integration.provider.<name>.url} setting, in any property source. */
    Set<String> providers() {
        Set<String> names = new TreeSet<>();
        for (Object key : camelContext.getPropertiesComponent().loadProperties(k -> URL_SETTING.matcher(k).matches()).keySet()) {
            addProvider(names, String.valueOf(key));
        }
        for (String key : System.getProperties().stringPropertyNames()) {
            addProvider(names, key);
        }
        return names;
    }

    private static void addProvider(Set<String> names, String key) {
        Matcher m = URL_SETTING.matcher(key);
        if (m.matches()) {
            names.add(m.group(1));
        }
    }

    public String getUri() {
        return uri;
    }

    /** The endpoint URI the route calls, with {@code {url}} for the provider's URL. */
    public void setUri(String uri) {
        this.uri = uri;
    }

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
        try {
            camelContext.addStartupListener(this);
        } catch (Exception e) {
            throw new IllegalStateException("cannot create the providers' HTTP clients: " + e.getMessage(), e);
        }
    }
}
