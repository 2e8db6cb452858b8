package io.streamroutes.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.streamroutes.component.redisstreams.RedisStreamsComponent;
import io.streamroutes.component.redisstreams.RedisStreamsConstants;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.StreamEntryID;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

/**
 * The per-key limit's figures, a program that prints what it measured in one run: {@code ./bench/run-per-key.sh}
 * ({@code --quick}: a small run that only checks everything finishes). One user has a backlog of 1 000 tasks queued
 * before nine users add 10 each; a route calls a WireMock provider answering in 100 ms with {@code concurrency=10},
 * once without a per-key limit and once with {@code concurrencyKey=${body[user_id]}} and {@code maxConcurrencyPerKey=1}.
 * Printed: when the nine users' 90 tasks were all done (from the route's start), when everything was done, and the most
 * tasks of one user seen running at once.
 */
public final class PerKeyConcurrencyBench {

    /** One run's figures. */
    record Run(String label, long othersFirstStartMillis, long othersDoneMillis, long allDoneMillis, int mostAtOnceOfOneUser, int calls,
               boolean complete) {
    }

    private final int backlog;
    private final int users;
    private final int tasksPerUser;
    private final String host;
    private final int port;
    private final String providerUrl;

    PerKeyConcurrencyBench(int backlog, int users, int tasksPerUser, String host, int port, String providerUrl) {
        this.backlog = backlog;
        this.users = users;
        this.tasksPerUser = tasksPerUser;
        this.host = host;
        this.port = port;
        this.providerUrl = providerUrl;
    }

    public static void main(String[] args) throws Exception {
        boolean quick = List.of(args).contains("--quick");
        List<Run> runs = run(quick, System.out);
        if (!runs.stream().allMatch(Run::complete)) {
            System.exit(1);
        }
    }

    /** Both runs (without, then with the limit) against one Redis and one provider stand-in. */
    static List<Run> run(boolean quick, java.io.PrintStream out) throws Exception {
        int backlog = quick ? 30 : 1000;
        int tasksPerUser = quick ? 2 : 10;
        WireMockServer provider = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1").containerThreads(40));
        provider.start();
        provider.stubFor(post(urlEqualTo("/v1/charges"))
                .willReturn(aResponse().withStatus(200).withFixedDelay(100).withBody("{\"id\":\"ch_1\"}")));
        try (BenchRedis redis = BenchRedis.start()) {
            out.println("redis: " + redis.description() + "; provider: WireMock answering in 100 ms; load average at start: " + loadAverage());
            PerKeyConcurrencyBench bench = new PerKeyConcurrencyBench(backlog, 9, tasksPerUser, redis.host(), redis.port(),
                    "http://127.0.0.1:" + provider.port() + "/v1/charges");
            List<Run> runs = List.of(bench.once("without a per-key limit", "bench:without", ""),
                    bench.once("maxConcurrencyPerKey=1", "bench:with", "&concurrencyKey=RAW(${body[user_id]})&maxConcurrencyPerKey=1"));
            out.printf("%nOne user with %d queued tasks, then 9 users with %d each; concurrency=10, provider 100 ms:%n", backlog, tasksPerUser);
            for (Run run : runs) {
                out.printf("  %-26s the 9 users' first task started after %5.2f s, their %d tasks done after %5.2f s; all %d done after %5.2f s; "
                           + "most tasks of one user at once: %d%s%n",
                        run.label(), run.othersFirstStartMillis() / 1000.0, 9 * tasksPerUser, run.othersDoneMillis() / 1000.0,
                        backlog + 9 * tasksPerUser,
                        run.allDoneMillis() / 1000.0, run.mostAtOnceOfOneUser(), run.complete() ? "" : "  INCOMPLETE: " + run.calls() + " calls");
            }
            out.printf("  ratio (9 users done, without / with): %.1f%n", runs.get(0).othersDoneMillis() / (double) runs.get(1).othersDoneMillis());
            out.println("load average at end: " + loadAverage());
            return runs;
        } finally {
            provider.stop();
        }
    }

    private Run once(String label, String stream, String limit) throws Exception {
        List<String> others = new ArrayList<>();
        try (Jedis jedis = new Jedis(host, port)) {
            for (int i = 0; i < backlog; i++) {
                add(jedis, stream, "backlog-user", i);
            }
            for (int u = 1; u <= users; u++) {
                for (int i = 0; i < tasksPerUser; i++) {
                    others.add(add(jedis, stream, "user-" + u, i));
                }
            }
        }
        Map<String, Long> doneAt = new ConcurrentHashMap<>();
        Map<String, Long> startedAt = new ConcurrentHashMap<>();
        Map<String, AtomicInteger> running = new ConcurrentHashMap<>();
        Map<String, AtomicInteger> most = new ConcurrentHashMap<>();
        int total = backlog + users * tasksPerUser;
        try (CamelContext camel = new DefaultCamelContext()) {
            RedisStreamsComponent component = new RedisStreamsComponent();
            component.getConfiguration().setHost(host);
            component.getConfiguration().setPort(port);
            camel.addComponent("redis-streams", component);
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("redis-streams:" + stream + "?group=workers&count=10&concurrency=10&block=500" + limit)
                            .process(exchange -> {
                                String user = exchange.getMessage().getBody(Map.class).get("user_id").toString();
                                int now = running.computeIfAbsent(user, k -> new AtomicInteger()).incrementAndGet();
                                most.computeIfAbsent(user, k -> new AtomicInteger()).accumulateAndGet(now, Math::max);
                                exchange.setVariable("user", user);
                                exchange.setVariable("entryId", exchange.getMessage().getHeader(RedisStreamsConstants.ENTRY_ID));
                                startedAt.putIfAbsent(exchange.getVariable("entryId", String.class), System.nanoTime());
                            })
                            .setHeader(Exchange.HTTP_METHOD, constant("POST"))
                            .setHeader(Exchange.CONTENT_TYPE, constant("application/x-www-form-urlencoded"))
                            .setBody(constant("amount=1999&currency=usd"))
                            .to(providerUrl)
                            .process(exchange -> {
                                running.get(exchange.getVariable("user", String.class)).decrementAndGet();
                                doneAt.put(exchange.getVariable("entryId", String.class), System.nanoTime());
                            });
                }
            });
            long start = System.nanoTime();
            camel.start();
            long deadline = System.currentTimeMillis() + Math.max(60_000, total * 300L);
            while (doneAt.size() < total && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
            long othersDone = others.stream().mapToLong(id -> doneAt.getOrDefault(id, Long.MAX_VALUE)).max().orElse(Long.MAX_VALUE);
            long allDone = doneAt.values().stream().mapToLong(Long::longValue).max().orElse(start);
            boolean complete = doneAt.size() == total;
            long othersFirst = others.stream().mapToLong(id -> startedAt.getOrDefault(id, Long.MAX_VALUE)).min().orElse(start);
            return new Run(label, (othersFirst - start) / 1_000_000, complete ? (othersDone - start) / 1_000_000 : -1, (allDone - start) / 1_000_000,
                    most.values().stream().mapToInt(AtomicInteger::get).max().orElse(0), doneAt.size(), complete);
        }
    }

    private static String add(Jedis jedis, String stream, String user, int n) {
        Map<String, String> task = new LinkedHashMap<>();
        task.put("provider", "stripe");
        task.put("action", "create_charge");
        task.put("user_id", user);
        task.put("amount", Integer.toString(1999 + n));
        return jedis.xadd(stream, StreamEntryID.NEW_ENTRY, task).toString();
    }

    static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (Exception e) {
            return "unknown";
        }
    }
}
