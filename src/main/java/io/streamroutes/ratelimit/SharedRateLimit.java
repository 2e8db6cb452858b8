package io.streamroutes.ratelimit;

import java.util.OptionalLong;
import java.util.regex.Pattern;

import io.streamroutes.component.redisstreams.RedisStreamsComponent;
import io.streamroutes.component.redisstreams.client.RedisStreamsClient;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;

/**
 * A calls-per-second limit shared by every process through Redis, for a route to call just before its {@code to:}:
 * {@code acquire(name)} returns when this call may go. The limit is the setting {@code <name>.rate-limit} (calls per
 * second, read from Camel's properties on every call; no value = no limit, and Redis is not asked), its state the key
 * {@code ratelimit:{<name>}}, reached through the {@code redis-streams} component's connection, like the routes.
 * <p>
 * A call that must wait for its slot waits here, in-process; when the wait would exceed {@link #setMaxWaitMs
 * maxWaitMs}, it throws {@link io.streamroutes.component.redisstreams.RedisStreamsRetryAfterException} with that wait
 * instead. When Redis cannot be asked, the exchange fails (the entry stays pending and is retried): the limit is
 * never skipped.
 */
public class SharedRateLimit implements CamelContextAware {

    /** Redis key of the limit {@code name}; the hash tag keeps it on one Cluster slot whatever is added later. */
    public static String key(String name) {
        return "ratelimit:{" + name + "}";
    }

    /** A limit's name is part of a key and of a setting: plain characters only, no hash-tag braces. */
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.:-]{1,200}");

    private CamelContext camelContext;
    private long maxWaitMs = 5000;
    private final RateLimitWait wait = RateLimitWait.system();
    private volatile RedisStreamsComponent component;

    /** Returns when a call under the limit {@code name} may go (at once when {@code <name>.rate-limit} has no value). */
    public void acquire(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("rate limit name must match " + NAME + ", was '" + name + "'");
        }
        String setting = name + ".rate-limit";
        OptionalLong interval = RateLimitRate.intervalMicros(setting,
                camelContext.getPropertiesComponent().resolveProperty(setting).orElse(null));
        if (interval.isEmpty()) {
            return;
        }
        RateLimitAnswer answer;
        try (RedisStreamsClient client = component().newClient()) {
            answer = RateLimitScript.reserve(client, key(name), interval.getAsLong(), maxWaitMs * 1000);
        }
        wait.await(name, answer);
    }

    private RedisStreamsComponent component() {
        RedisStreamsComponent c = component;
        if (c == null) {
            c = RedisStreamsComponent.of(camelContext);
            component = c;
        }
        return c;
    }

    public long getMaxWaitMs() {
        return maxWaitMs;
    }

    /** The longest a call waits in-process for its slot (default 5000); beyond it, the entry is retried after the wait. */
    public void setMaxWaitMs(long maxWaitMs) {
        if (maxWaitMs < 0) {
            throw new IllegalArgumentException("maxWaitMs must be 0 or more, was " + maxWaitMs);
        }
        this.maxWaitMs = maxWaitMs;
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
