package io.streamroutes.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The payment provider's stand-in for the I/O-bound contestants: {@code POST /v1/charges} answers 200 with a small
 * JSON charge after {@link #LATENCY_MS} ms, on a free port of 127.0.0.1. One thread per request in flight (a cached
 * pool), so it is not what limits 50 or 100 concurrent callers ({@code io-standin-c100} measures that). It counts
 * what it saw: calls, the highest number of calls in flight at once, calls whose {@code Idempotency-Key} it had
 * already seen (a task charged twice), and malformed calls (answered 400).
 */
final class SlowProvider implements AutoCloseable {

    static final int LATENCY_MS = 50;
    static final String PATH = "/v1/charges";

    private final HttpServer server;
    private final ExecutorService threads;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger peakInFlight = new AtomicInteger();
    private final LongAdder calls = new LongAdder();
    private final LongAdder repeated = new LongAdder();
    private final LongAdder malformed = new LongAdder();
    private final Set<String> keys = ConcurrentHashMap.newKeySet();

    private SlowProvider(HttpServer server, ExecutorService threads) {
        this.server = server;
        this.threads = threads;
    }

    static SlowProvider start() throws IOException {
        // TCP_NODELAY: the JDK server writes headers and body separately; with Nagle's algorithm and the client's
        // delayed ACK the body waited about 40 ms (measured: 100 ms per call instead of 50). Read once, at first use.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1024);
        ExecutorService threads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "slow-provider");
            t.setDaemon(true);
            return t;
        });
        SlowProvider provider = new SlowProvider(server, threads);
        server.createContext(PATH, provider::handle);
        server.setExecutor(threads);
        server.start();
        return provider;
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange; InputStream body = exchange.getRequestBody()) {
            String form = new String(body.readAllBytes(), StandardCharsets.US_ASCII);
            String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
            String type = exchange.getRequestHeaders().getFirst("Content-Type");
            calls.increment();
            work();
            if (!"POST".equals(exchange.getRequestMethod()) || key == null || type == null
                || !type.startsWith("application/x-www-form-urlencoded") || !form.startsWith("amount=")) {
                malformed.increment();
                respond(exchange, 400, "{\"error\":{\"message\":\"malformed charge\"}}");
                return;
            }
            if (!keys.add(key)) {
                repeated.increment();
            }
            respond(exchange, 200, "{\"id\":\"ch_" + key + "\",\"object\":\"charge\"}");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The provider's 50 ms; counted as in flight only meanwhile, so a caller's next call cannot overlap its last one. */
    private void work() throws InterruptedException {
        peakInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        try {
            Thread.sleep(LATENCY_MS);
        } finally {
            inFlight.decrementAndGet();
        }
    }

    private static void respond(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    /** Forgets what it saw, for the next contestant. */
    void reset() {
        peakInFlight.set(inFlight.get());
        calls.reset();
        repeated.reset();
        malformed.reset();
        keys.clear();
    }

    long calls() {
        return calls.sum();
    }

    int peakInFlight() {
        return peakInFlight.get();
    }

    long repeatedKeys() {
        return repeated.sum();
    }

    long malformed() {
        return malformed.sum();
    }

    @Override
    public void close() throws InterruptedException {
        server.stop(0);
        threads.shutdownNow();
        threads.awaitTermination(5, TimeUnit.SECONDS);
    }
}
