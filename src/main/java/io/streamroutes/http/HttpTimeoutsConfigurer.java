package io.streamroutes.http;

import io.streamroutes.ratelimit.ReservedSlotCheck;
import org.apache.camel.component.http.HttpClientConfigurer;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.core5.util.Timeout;

/**
 * Gives one http endpoint its own connect and read timeouts, and no automatic retries. camel-http only has the
 * timeouts as component-wide options, and each scenario calling out over HTTP has its own settings; the endpoint's
 * configurer runs after the component's defaults are applied, so these win.
 * <p>
 * HttpClient would by default repeat a request answered with 429 or 503, even a POST. Retrying is the stream's job
 * (the entry stays pending and XAUTOCLAIM delivers it again, counted against maxDeliveries), so it is switched off.
 * <p>
 * A request made after a shared rate limit's slot was acquired on the same thread checks that slot right before it
 * leaves ({@link ReservedSlotCheck}).
 */
public class HttpTimeoutsConfigurer implements HttpClientConfigurer {

    private long connectTimeoutMs = 2000;
    private long readTimeoutMs = 10000;

    @Override
    public void configureHttpClient(HttpClientBuilder builder) {
        builder.disableAutomaticRetries();
        builder.setRequestExecutor(new ReservedSlotCheck());
        builder.setDefaultRequestConfig(RequestConfig.custom()
                .setConnectionRequestTimeout(Timeout.ofMilliseconds(connectTimeoutMs))
                .setConnectTimeout(Timeout.ofMilliseconds(connectTimeoutMs))
                .setResponseTimeout(Timeout.ofMilliseconds(readTimeoutMs))
                .build());
    }

    public long getConnectTimeoutMs() {
        return connectTimeoutMs;
    }

    public void setConnectTimeoutMs(long connectTimeoutMs) {
        this.connectTimeoutMs = connectTimeoutMs;
    }

    public long getReadTimeoutMs() {
        return readTimeoutMs;
    }

    public void setReadTimeoutMs(long readTimeoutMs) {
        this.readTimeoutMs = readTimeoutMs;
    }
}
