package io.streamroutes.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.streamroutes.testsupport.ScenarioApp;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.StreamEntryID;

/**
 * The job-control figures of routes/integration.yaml with the shipped configuration (only the provider's URL set), a
 * program that prints what it measured in one run: {@code ./bench/run-integration-acceptance.sh}.
 * <ol>
 * <li>1 000 tasks against a provider answering in 100 ms: tasks/s (ideal at concurrency 10: 100);</li>
 * <li>the provider answers 429 with {@code Retry-After: 2} for 3 s while 300 tasks are queued: how many calls it
 * got in that window;</li>
 * <li>200 tasks whose first call answers 500: how long until all are done.</li>
 * </ol>
 * In every part: each task charged exactly once (one 2xx per Idempotency-Key), one result each, nothing
 * dead-lettered.
 */
public final class IntegrationAcceptance {

    private static final String TASKS = "integration:tasks";

    /** A payment-provider stand-in whose answer the current part decides. */
    private static final class Provider implements AutoCloseable {
        private final HttpServer server;
        private final ExecutorService threads = Executors.newFixedThreadPool(64);
        private final Map<String, AtomicInteger> successesByKey = new ConcurrentHashMap<>();
        private final Map<String, AtomicInteger> callsByKey = new ConcurrentHashMap<>();
        private final AtomicInteger calls = new AtomicInteger();
        private final AtomicInteger limitedCalls = new AtomicInteger();
        private volatile long limitedUntil;
        private volatile boolean firstCallFails;

        Provider() throws IOException {
            // as SlowProvider: without TCP_NODELAY the JDK server's answers wait ~40 ms for the client's delayed ACK
            System.setProperty("sun.net.httpserver.nodelay", "true");
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 200);
            server.createContext("/v1/charges", this::charge);
            server.setExecutor(threads);
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        void reset() {
            successesByKey.clear();
            callsByKey.clear();
            calls.set(0);
            limitedCalls.set(0);
            limitedUntil = 0;
            firstCallFails = false;
        }

        private void charge(HttpExchange exchange) throws IOException {
            exchange.getRequestBody().readAllBytes();
            String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
            calls.incrementAndGet();
            int attempt = callsByKey.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
            if (System.currentTimeMillis() < limitedUntil) {
                limitedCalls.incrementAndGet();
                exchange.getResponseHeaders().set("Retry-After", "2");
                reply(exchange, 429, "{\"error\":\"rate limited\"}");
                return;
            }
            sleep(100);
            if (firstCallFails && attempt == 1) {
                reply(exchange, 500, "{\"error\":\"internal\"}");
                return;
            }
            successesByKey.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
            reply(exchange, 200, "{\"id\":\"ch_" + key + "\"}");
        }

        private static void reply(HttpExchange exchange, int status, String json) throws IOException {
            byte[] body = json.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }

        /** Tasks charged more than once, and tasks not charged, among {@code tasks}. */
        String chargedOnce(int tasks) {
            long twice = successesByKey.values().stream().filter(n -> n.get() > 1).count();
            long charged = successesByKey.size();
            return (twice == 0 && charged == tasks ? "yes" : "NO") + " (" + charged + " of " + tasks + " charged, " + twice
                   + " more than once)";
        }

        @Override
        public void close() {
            server.stop(0);
            threads.shutdownNow();
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public static void main(String[] args) throws Exception {
        try (BenchRedis redis = BenchRedis.start(); Provider provider = new Provider();
             Jedis jedis = new Jedis(redis.host(), redis.port())) {
            System.out.println("redis: " + redis.description());
            System.out.println("configuration: the repository's application.properties, routes/integration.yaml, "
                               + "integration.provider.stripe.url=<stand-in> (integration.concurrency=10 as shipped)");
            Map<String, String> props = new LinkedHashMap<>();
            props.put("integration.provider.stripe.url", provider.url());
            try (ScenarioApp app = ScenarioApp.start(redis.host(), redis.port(), props, "routes/integration.yaml")) {
                throughput(jedis, provider);
                retryAfterWindow(jedis, provider);
                firstCallFails(jedis, provider);
            }
        }
    }

    private static void throughput(Jedis jedis, Provider provider) throws InterruptedException {
        provider.reset();
        long start = System.nanoTime();
        String last = addTasks(jedis, 1000);
        long ms = awaitDone(jedis, last, 1000, 120_000);
        System.out.printf("%n1. 1000 tasks, provider answering in 100 ms: done in %.1f s = %.0f tasks/s (ideal at concurrency 10: 100)%n",
                ms / 1000.0, 1000 * 1000.0 / ms);
        System.out.println("   every task charged once: " + provider.chargedOnce(1000) + ", dead letters: " + deadLetters(jedis));
        System.out.println("   (" + (System.nanoTime() - start) / 1_000_000 + " ms including the XADDs)");
    }

    private static void retryAfterWindow(Jedis jedis, Provider provider) throws InterruptedException {
        provider.reset();
        provider.limitedUntil = System.currentTimeMillis() + 3000;
        String last = addTasks(jedis, 300);
        long ms = awaitDone(jedis, last, 300, 120_000);
        System.out.printf("%n2. 300 tasks while the provider answers 429 with Retry-After: 2 for 3 s: %d calls answered 429, "
                          + "%d calls in all; all done %.1f s after the window opened%n", provider.limitedCalls.get(),
                provider.calls.get(), ms / 1000.0);
        System.out.println("   every task charged once: " + provider.chargedOnce(300) + ", dead letters: " + deadLetters(jedis));
    }

    private static void firstCallFails(Jedis jedis, Provider provider) throws InterruptedException {
        provider.reset();
        provider.firstCallFails = true;
        String last = addTasks(jedis, 200);
        long ms = awaitDone(jedis, last, 200, 120_000);
        System.out.printf("%n3. 200 tasks whose first call answers 500: all done in %.1f s (%d calls)%n", ms / 1000.0,
                provider.calls.get());
        System.out.println("   every task charged once: " + provider.chargedOnce(200) + ", dead letters: " + deadLetters(jedis));
    }

    private static final AtomicLong RESULTS_SEEN = new AtomicLong();

    private static String addTasks(Jedis jedis, int n) {
        String last = null;
        for (int i = 0; i < n; i++) {
            Map<String, String> task = new LinkedHashMap<>();
            task.put("provider", "stripe");
            task.put("action", "create_charge");
            task.put("user_id", "123");
            task.put("amount", "1999");
            last = jedis.xadd(TASKS, StreamEntryID.NEW_ENTRY, task).toString();
        }
        return last;
    }

    /** Waits until {@code n} more results were written and nothing is pending; returns the milliseconds it took. */
    private static long awaitDone(Jedis jedis, String lastId, int n, long timeoutMs) throws InterruptedException {
        long start = System.currentTimeMillis();
        long target = RESULTS_SEEN.addAndGet(n);
        while (System.currentTimeMillis() - start < timeoutMs) {
            if (jedis.xlen("integration:results") >= target && jedis.xpending(TASKS, "integration-workers").getTotal() == 0) {
                return System.currentTimeMillis() - start;
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("not done within " + timeoutMs + " ms (last task " + lastId + ")");
    }

    private static long deadLetters(Jedis jedis) {
        return jedis.exists("integration:dead-letter") ? jedis.xlen("integration:dead-letter") : 0;
    }
}
