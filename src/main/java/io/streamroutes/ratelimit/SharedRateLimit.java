package io.streamroutes.ratelimit;

import java.time.Duration;
import java.util.OptionalLong;
import java.util.regex.Pattern;

import io.streamroutes.component.redisstreams.RedisStreamsComponent;
import io.streamroutes.component.redisstreams.RedisStreamsRetryAfterException;
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
 * <p>
 * The slot is also checked where the request leaves: {@link ReservedSlotCheck}, the HTTP client's request executor, calls
 * {@link #useReservedSlot()} on the thread that acquired it, and a call that missed its slot by more than one interval
 * (held up after acquiring, e.g. by a cold start creating the HTTP client) takes a new slot instead of going late
 * together with the next one.
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

    /** A slot reserved and waited for by this thread, not yet used by a request. */
    private record ReservedSlot(SharedRateLimit limit, String name, long slotNanos, long intervalNanos) {
    }

    /** The slot the current thread acquired last and has not sent a request in yet. */
    private static final ThreadLocal<ReservedSlot> RESERVED = new ThreadLocal<>();

    /** Re-takes of a missed slot before the call is retried later instead (a machine too loaded to keep any slot). */
    private static final int MAX_RETAKES = 3;

    /**
     * Called right before a request goes out on this thread: when the thread's reserved slot was missed by more than
     * one interval, takes (and waits for) a new one; nothing happens when the thread holds no slot.
     */
    public static void useReservedSlot() {
        ReservedSlot slot = RESERVED.get();
        if (slot == null) {
            return;
        }
        RESERVED.remove();
        for (int retakes = 0; slot.limit.wait.missed(slot.slotNanos, slot.intervalNanos); retakes++) {
            if (retakes == MAX_RETAKES) {
                throw new RedisStreamsRetryAfterException("rate limit " + slot.name + ": " + MAX_RETAKES
                                                          + " slots missed in a row; retrying later",
                        Duration.ofNanos(slot.intervalNanos));
            }
            slot = slot.limit.reserve(slot.name);
        }
    }

    /** Returns when a call under the limit {@code name} may go (at once when {@code <name>.rate-limit} has no value). */
    public void acquire(String name) {
        ReservedSlot slot = reserve(name);
        if (slot == null) {
            RESERVED.remove();
        } else {
            RESERVED.set(slot);
        }
    }

    /** Reserves the next slot of {@code name} and waits for it; null when the limit has no value. */
    private ReservedSlot reserve(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("rate limit name must match " + NAME + ", was '" + name + "'");
        }
        String setting = name + ".rate-limit";
        OptionalLong interval = RateLimitRate.intervalMicros(setting,
                camelContext.getPropertiesComponent().resolveProperty(setting).orElse(null));
        if (interval.isEmpty()) {
            return null;
        }
        RateLimitAnswer answer;
        try (RedisStreamsClient client = component().newClient()) {
            answer = RateLimitScript.reserve(client, key(name), interval.getAsLong(), maxWaitMs * 1000);
        }
        return new ReservedSlot(this, name, wait.await(name, answer), interval.getAsLong() * 1000);
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
