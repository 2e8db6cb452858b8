package io.streamroutes.http;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import io.streamroutes.component.redisstreams.RedisStreamsNonRetryableException;
import io.streamroutes.component.redisstreams.RedisStreamsRetryAfterException;
import org.apache.camel.Exchange;
import org.apache.camel.http.base.HttpOperationFailedException;

/**
 * Decides whether a failed HTTP call is worth retrying. Used in a route's {@code doCatch}: it rethrows the caught
 * exception unchanged (transient: the entry stays pending and is retried on the consumer's schedule), throws a
 * {@link RedisStreamsRetryAfterException} for 429 and 503 (retried after the server's {@code Retry-After}, and the
 * consumer pauses meanwhile), or throws a {@link RedisStreamsNonRetryableException} (the entry is dead-lettered at once).
 */
public final class HttpFailures {

    /** How much of the response body goes into the dead-letter reason. */
    static final int BODY_EXCERPT_CHARS = 300;

    private HttpFailures() {
    }

    /** Server errors, throttling and request timeouts may pass; any other non-2xx answer will not change on retry. */
    public static boolean isTransient(int status) {
        return status >= 500 || status == 429 || status == 408;
    }

    /** "Too many requests" and "service unavailable": the server tells us when to come back. */
    public static boolean asksToWait(int status) {
        return status == 429 || status == 503;
    }

    public static void rethrowClassified(Exchange exchange) throws Exception {
        Exception caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        if (caught instanceof HttpOperationFailedException failure && asksToWait(failure.getStatusCode())) {
            String header = header(failure.getResponseHeaders(), "Retry-After");
            Duration wait = RetryAfter.parse(header, Instant.now());
            throw new RedisStreamsRetryAfterException("HTTP " + failure.getStatusCode() + " from " + failure.getUri() + ", retrying after "
                                                      + wait.toMillis() + " ms (Retry-After: " + (header != null ? header : "none")
                                                      + ")", wait, failure);
        }
        if (caught instanceof HttpOperationFailedException failure && !isTransient(failure.getStatusCode())) {
            throw new RedisStreamsNonRetryableException(describe(failure), failure);
        }
        if (caught != null) {
            throw caught;
        }
    }

    private static String header(Map<String, String> headers, String name) {
        if (headers == null) {
            return null;
        }
        return headers.entrySet().stream().filter(h -> name.equalsIgnoreCase(h.getKey())).map(Map.Entry::getValue).findFirst()
                .orElse(null);
    }

    static String describe(HttpOperationFailedException failure) {
        return "HTTP " + failure.getStatusCode() + " from " + failure.getUri() + ": " + excerpt(failure.getResponseBody());
    }

    /** The start of a response body on one line, so a dead-letter reason stays readable. */
    static String excerpt(String body) {
        if (body == null || body.isEmpty()) {
            return "(empty body)";
        }
        String oneLine = body.replaceAll("[\\r\\n\\t]+", " ").strip();
        return oneLine.length() <= BODY_EXCERPT_CHARS ? oneLine : oneLine.substring(0, BODY_EXCERPT_CHARS) + "...";
    }
}
