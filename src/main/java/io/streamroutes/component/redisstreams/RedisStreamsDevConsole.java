package io.streamroutes.component.redisstreams;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.camel.Route;
import org.apache.camel.spi.annotations.DevConsole;
import org.apache.camel.support.console.AbstractDevConsole;
import org.apache.camel.util.json.JsonObject;

/**
 * Camel dev console {@code redis-streams} (camel.main.dev-console-enabled; on the management server at
 * {@code /q/dev/redis-streams}): per consumer endpoint what it reads, as whom, and how far behind it is.
 */
@DevConsole(name = "redis-streams", displayName = "Redis Streams", description = "Consumers of Redis streams")
public class RedisStreamsDevConsole extends AbstractDevConsole {

    public RedisStreamsDevConsole() {
        super("camel", "redis-streams", "Redis Streams", "Consumers of Redis streams");
    }

    private List<ConsumerFigures> figures() {
        List<ConsumerFigures> all = new ArrayList<>();
        for (Route route : getCamelContext().getRoutes()) {
            if (route.getConsumer() instanceof RedisStreamsConsumer consumer) {
                all.add(ConsumerFigures.of(consumer));
            }
        }
        return all;
    }

    private static String instantOrNone(long epochMillis) {
        return epochMillis > 0 ? java.time.Instant.ofEpochMilli(epochMillis).toString() : "none";
    }

    @Override
    protected String doCallText(Map<String, Object> options) {
        StringBuilder sb = new StringBuilder();
        for (ConsumerFigures f : figures()) {
            sb.append(String.format("Route: %s%n    Stream: %s%n    Group: %s%n    Consumers: %s%n", f.routeId(), f.stream(),
                    f.group() != null ? f.group() : "(none: plain reader)", String.join(", ", f.consumerNames())));
            sb.append(String.format("    Length: %d  Lag: %d  Pending: %d  Oldest pending age: %d ms%n", f.length(), f.lag(),
                    f.pending(), f.oldestPendingAgeMillis()));
            sb.append(String.format("    Delivered: %d  Acked: %d  Failed: %d  Claimed: %d  Dead-lettered: %d%n",
                    f.statistics().getDelivered(), f.statistics().getAcked(), f.statistics().getFailed(),
                    f.statistics().getClaimed(), f.statistics().getDeadLettered()));
            sb.append(String.format("    Waiting for a retry: %d  Next retry: %s%n", f.retryWaiting(), instantOrNone(f.nextRetryAtMillis())));
            if (f.keyWaiting() >= 0) {
                sb.append(String.format("    Waiting for their key: %d%n", f.keyWaiting()));
            }
            sb.append(String.format("    Scheduled: %d  Next due: %s%n", f.scheduledCount(), instantOrNone(f.nextScheduledAtMillis())));
            if (f.pauseReason() != null) {
                sb.append(String.format("    Paused until %s: %s%n", instantOrNone(f.pausedUntilMillis()), f.pauseReason()));
            }
            if (f.deadLetterStream() != null) {
                sb.append(String.format("    Dead-letter stream: %s (%d entries)%n", f.deadLetterStream(), f.deadLetterLength()));
            }
            sb.append(String.format("    Healthy: %s%n", f.healthy()));
            if (f.lastError() != null) {
                sb.append(String.format("    Last error: %s%n", f.lastError()));
            }
            if (f.redisError() != null) {
                sb.append(String.format("    Redis figures unavailable: %s%n", f.redisError()));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    @Override
    protected Map<String, Object> doCallJson(Map<String, Object> options) {
        List<JsonObject> consumers = new ArrayList<>();
        for (ConsumerFigures f : figures()) {
            JsonObject jo = new JsonObject();
            jo.put("routeId", f.routeId());
            jo.put("stream", f.stream());
            jo.put("group", f.group());
            jo.put("consumers", f.consumerNames());
            jo.put("length", f.length());
            jo.put("lag", f.lag());
            jo.put("pending", f.pending());
            jo.put("oldestPendingAgeMillis", f.oldestPendingAgeMillis());
            jo.put("delivered", f.statistics().getDelivered());
            jo.put("acked", f.statistics().getAcked());
            jo.put("failed", f.statistics().getFailed());
            jo.put("claimed", f.statistics().getClaimed());
            jo.put("deadLettered", f.statistics().getDeadLettered());
            jo.put("retryWaiting", f.retryWaiting());
            jo.put("nextRetryAt", f.nextRetryAtMillis() > 0 ? java.time.Instant.ofEpochMilli(f.nextRetryAtMillis()).toString() : null);
            jo.put("keyWaiting", f.keyWaiting() >= 0 ? f.keyWaiting() : null);
            jo.put("scheduled", f.scheduledCount());
            jo.put("nextScheduledAt", f.nextScheduledAtMillis() > 0 ? java.time.Instant.ofEpochMilli(f.nextScheduledAtMillis()).toString() : null);
            jo.put("pausedUntil", f.pausedUntilMillis() > 0 ? java.time.Instant.ofEpochMilli(f.pausedUntilMillis()).toString() : null);
            jo.put("pauseReason", f.pauseReason());
            jo.put("deadLetterStream", f.deadLetterStream());
            jo.put("deadLetterLength", f.deadLetterLength());
            jo.put("healthy", f.healthy());
            jo.put("lastError", f.lastError());
            jo.put("redisError", f.redisError());
            consumers.add(jo);
        }
        JsonObject root = new JsonObject();
        root.put("consumers", consumers);
        return root;
    }
}
