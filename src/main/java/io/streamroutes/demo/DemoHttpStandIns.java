package io.streamroutes.demo;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The demo's HTTP stand-ins on loopback: a push gateway that accepts everything, and a payment provider whose answer
 * depends on the customer: {@code 500} fails once then succeeds, {@code 503} is answered "503, Retry-After: 1" once
 * then succeeds, {@code 400} is always rejected, others succeed.
 */
final class DemoHttpStandIns implements AutoCloseable {

    static final String FLAKY_CUSTOMER = "500";
    static final String REJECTED_CUSTOMER = "400";
    static final String LIMITED_CUSTOMER = "503";

    private final HttpServer server;
    private final AtomicInteger charges = new AtomicInteger();
    private final AtomicInteger pushes = new AtomicInteger();
    private final Map<String, AtomicInteger> attemptsByCustomer = new ConcurrentHashMap<>();
    private final Map<String, java.util.List<Long>> callTimesByCustomer = new ConcurrentHashMap<>();

    private DemoHttpStandIns(HttpServer server) {
        this.server = server;
    }

    static DemoHttpStandIns start() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        DemoHttpStandIns standIns = new DemoHttpStandIns(server);
        server.createContext("/push", standIns::push);
        server.createContext("/v1/charges", standIns::charge);
        server.start();
        return standIns;
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    int pushes() {
        return pushes.get();
    }

    int charges() {
        return charges.get();
    }

    /** When the provider stand-in was called for a customer (epoch ms), in order. */
    java.util.List<Long> callTimes(String customer) {
        return callTimesByCustomer.getOrDefault(customer, java.util.List.of());
    }

    private void push(HttpExchange exchange) throws IOException {
        exchange.getRequestBody().readAllBytes();
        pushes.incrementAndGet();
        reply(exchange, 200, "{\"status\":\"queued\"}");
    }

    private void charge(HttpExchange exchange) throws IOException {
        String form = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String customer = "";
        for (String pair : form.split("&")) {
            if (pair.startsWith("customer=")) {
                customer = URLDecoder.decode(pair.substring(9), StandardCharsets.UTF_8);
            }
        }
        int attempt = attemptsByCustomer.computeIfAbsent(customer, c -> new AtomicInteger()).incrementAndGet();
        callTimesByCustomer.computeIfAbsent(customer, c -> new java.util.concurrent.CopyOnWriteArrayList<>()).add(System.currentTimeMillis());
        if (LIMITED_CUSTOMER.equals(customer) && attempt == 1) {
            exchange.getResponseHeaders().set("Retry-After", "1");
            reply(exchange, 503, "{\"error\":{\"message\":\"busy, come back in a second\"}}");
        } else if (REJECTED_CUSTOMER.equals(customer)) {
            reply(exchange, 400, "{\"error\":{\"message\":\"No such customer: " + customer + "\"}}");
        } else if (FLAKY_CUSTOMER.equals(customer) && attempt == 1) {
            reply(exchange, 500, "{\"error\":{\"message\":\"internal error, try again\"}}");
        } else {
            reply(exchange, 200, "{\"id\":\"ch_demo_" + charges.incrementAndGet() + "\",\"status\":\"succeeded\"}");
        }
    }

    private static void reply(HttpExchange exchange, int status, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
