package io.streamroutes.page;

import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import io.streamroutes.component.redisstreams.ConsumerFigures;
import io.streamroutes.component.redisstreams.RedisStreamsConsumer;
import io.streamroutes.component.redisstreams.client.DeadLetterStream;
import io.streamroutes.component.redisstreams.client.RedisStreamsClient;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Route;
import org.apache.camel.builder.RouteBuilder;

/**
 * The streams page ({@code GET /streams}) and its actions ({@code POST /streams/action}) as routes on Camel's embedded
 * HTTP server ({@code camel.server.*}). Only the streams and dead-letter streams of this application's redis-streams
 * consumers can be seen or changed.
 */
public final class StreamsPageRoute extends RouteBuilder {

    /** Dead letters shown per dead-letter stream. */
    static final int DEAD_LETTERS_SHOWN = 50;

    private final RequestGuard guard;
    private final Throughput throughput = new Throughput(Clock.systemUTC(), 60_000);

    /** @param loopbackOnly the server is bound to loopback: requests must name a loopback host (no DNS rebinding) */
    public StreamsPageRoute(boolean loopbackOnly) {
        this.guard = new RequestGuard(loopbackOnly);
    }

    @Override
    public void configure() {
        int refresh = Integer.parseInt(getContext().resolvePropertyPlaceholders("{{streams.page.refresh-seconds:5}}").trim());
        StreamsPage page = new StreamsPage(guard.token(), refresh);
        from("platform-http:/streams?httpMethodRestrict=GET").routeId("streams-page")
                .process(exchange -> render(exchange, page));
        from("platform-http:/streams/action?httpMethodRestrict=POST").routeId("streams-page-action")
                .process(this::act);
    }

    private void render(Exchange exchange, StreamsPage page) {
        Message in = exchange.getMessage();
        String refused = guard.refuseRead(host(in));
        if (refused != null) {
            respond(in, 403, "text/plain; charset=utf-8", refused);
            return;
        }
        List<StreamsPage.Row> rows = new ArrayList<>();
        Map<String, StreamsPage.DeadLetters> deadLetters = new LinkedHashMap<>();
        for (RedisStreamsConsumer consumer : consumers()) {
            ConsumerFigures f = ConsumerFigures.of(consumer);
            String status = String.valueOf(getContext().getRouteController().getRouteStatus(f.routeId()));
            double rate = throughput.sample(f.routeId() + "/" + f.stream(), f.statistics().getAcked() + f.statistics().getFailed());
            rows.add(new StreamsPage.Row(f, status, rate));
            if (f.deadLetterStream() != null && !deadLetters.containsKey(f.deadLetterStream())) {
                deadLetters.put(f.deadLetterStream(), deadLetters(consumer, f.deadLetterStream()));
            }
        }
        respond(in, 200, "text/html; charset=utf-8",
                page.render(rows, List.copyOf(deadLetters.values()), in.getHeader("done", String.class)));
    }

    private static StreamsPage.DeadLetters deadLetters(RedisStreamsConsumer consumer, String key) {
        try (RedisStreamsClient client = consumer.getEndpoint().newClient()) {
            DeadLetterStream dlq = new DeadLetterStream(client, key);
            return new StreamsPage.DeadLetters(key, dlq.list(DEAD_LETTERS_SHOWN).stream().filter(e -> !e.isDeleted()).toList(),
                    dlq.length(), null);
        } catch (RuntimeException e) {
            return new StreamsPage.DeadLetters(key, List.of(), -1, "cannot read " + key + ": " + e.getMessage());
        }
    }

    private void act(Exchange exchange) {
        Message in = exchange.getMessage();
        Map<String, String> form = form(in);
        String refused = guard.refuseAction(host(in), in.getHeader("Origin", String.class),
                in.getHeader("Sec-Fetch-Site", String.class), form.get("csrf"));
        if (refused != null) {
            respond(in, 403, "text/plain; charset=utf-8", "refused: " + refused);
            return;
        }
        String done;
        try {
            done = perform(form);
        } catch (IllegalArgumentException | IllegalStateException e) {
            done = "failed: " + e.getMessage();
        } catch (Exception e) {
            done = "failed: " + e;
        }
        in.setBody(null);
        in.setHeader(Exchange.HTTP_RESPONSE_CODE, 303);
        // relative, so the page also works under camel.server.path
        in.setHeader("Location", "../streams?done=" + URLEncoder.encode(done, StandardCharsets.UTF_8));
    }

    private String perform(Map<String, String> form) throws Exception {
        String action = String.valueOf(form.get("action"));
        String stream = form.get("stream");
        String id = form.get("id");
        return switch (action) {
            case "requeue" -> "requeued " + id + " as " + withDeadLetters(stream, d -> d.requeue(id));
            case "requeue-all" -> "requeued " + withDeadLetters(stream, DeadLetterStream::requeueAll) + " dead letters from " + stream;
            case "delete" -> withDeadLetters(stream, d -> d.delete(id)) ? "deleted " + id + " from " + stream : "no entry " + id + " in " + stream;
            case "purge" -> "purged " + withDeadLetters(stream, DeadLetterStream::purge) + " dead letters from " + stream;
            case "pause" -> {
                getContext().getRouteController().suspendRoute(consumerRoute(form.get("route")));
                yield "paused route " + form.get("route");
            }
            case "resume" -> {
                getContext().getRouteController().resumeRoute(consumerRoute(form.get("route")));
                yield "resumed route " + form.get("route");
            }
            default -> throw new IllegalArgumentException("unknown action '" + action + "'");
        };
    }

    /** Only the dead-letter streams the consumers write to, through the connection of such a consumer. */
    private <T> T withDeadLetters(String key, Function<DeadLetterStream, T> operation) {
        for (RedisStreamsConsumer consumer : consumers()) {
            if (key != null && key.equals(consumer.getEndpoint().getConfiguration().getDeadLetterStream())) {
                try (RedisStreamsClient client = consumer.getEndpoint().newClient()) {
                    return operation.apply(new DeadLetterStream(client, key));
                }
            }
        }
        throw new IllegalArgumentException("'" + key + "' is not a dead-letter stream of this application's routes");
    }

    private String consumerRoute(String routeId) {
        for (RedisStreamsConsumer consumer : consumers()) {
            if (consumer.getRouteId().equals(routeId)) {
                return routeId;
            }
        }
        throw new IllegalArgumentException("'" + routeId + "' is not a redis-streams route of this application");
    }

    private List<RedisStreamsConsumer> consumers() {
        List<RedisStreamsConsumer> all = new ArrayList<>();
        for (Route route : getContext().getRoutes()) {
            if (route.getConsumer() instanceof RedisStreamsConsumer consumer) {
                all.add(consumer);
            }
        }
        return all;
    }

    /** The url-encoded form body (platform-http leaves it as the body, or maps it to headers, depending on the server). */
    private static Map<String, String> form(Message in) {
        Map<String, String> form = new HashMap<>();
        String body = in.getBody(String.class);
        if (body != null && !body.isBlank()) {
            for (String pair : body.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    form.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        for (String name : new String[] { "csrf", "action", "stream", "id", "route" }) {
            if (!form.containsKey(name) && in.getHeader(name) instanceof String value) {
                form.put(name, value);
            }
        }
        return form;
    }

    /** The Host header, or the authority of an HTTP/2 request (which has no Host header). */
    private static String host(Message in) {
        String host = in.getHeader("Host", String.class);
        String url = in.getHeader(Exchange.HTTP_URL, String.class);
        if (host == null && url != null) {
            try {
                host = URI.create(url).getRawAuthority();
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        return host;
    }

    private static void respond(Message in, int status, String contentType, String body) {
        in.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        in.setHeader(Exchange.CONTENT_TYPE, contentType);
        in.setBody(body);
    }
}
