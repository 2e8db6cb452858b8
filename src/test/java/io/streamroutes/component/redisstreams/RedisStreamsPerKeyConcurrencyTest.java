package io.streamroutes.component.redisstreams;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import io.streamroutes.component.redisstreams.client.ConcurrencyLeases;
import io.streamroutes.component.redisstreams.client.RedisStreamsClient;
import io.streamroutes.component.redisstreams.client.StreamGroup;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.console.DevConsole;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.params.XReadGroupParams;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * concurrencyKey / maxConcurrencyPerKey against a real Redis: a key with a backlog does not hold back other keys, the
 * limit holds across two Camel contexts (two processes' worth of consumers), waiting uses up no delivery, and the
 * slots and entries of a consumer that died are taken over once its leases expired. The options' checks are in
 * {@link RedisStreamsOptionsTest}.
 */
class RedisStreamsPerKeyConcurrencyTest extends RedisStreamsTestSupport {

    private static final String KEY = "jobs";
    private static final String GROUP = "workers";

    /** Entries of each key running right now, the most seen at once, and every call. */
    private final Map<String, AtomicInteger> running = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> most = new ConcurrentHashMap<>();
    private final List<String[]> calls = new CopyOnWriteArrayList<>();
    private final Map<String, Long> doneAt = new ConcurrentHashMap<>();

    /** Runs like a call to a slow provider: {@code ms} per entry, counting what runs at once per user. */
    private Processor slowCall(long ms) {
        return exchange -> {
            @SuppressWarnings("unchecked")
            String user = ((Map<String, String>) exchange.getMessage().getBody(Map.class)).get("user");
            int now = running.computeIfAbsent(user, k -> new AtomicInteger()).incrementAndGet();
            most.computeIfAbsent(user, k -> new AtomicInteger()).accumulateAndGet(now, Math::max);
            calls.add(new String[] { user, exchange.getMessage().getHeader(RedisStreamsConstants.ENTRY_ID, String.class),
                    String.valueOf(exchange.getMessage().getHeader(RedisStreamsConstants.DELIVERY_COUNT, Long.class)) });
            try {
                Thread.sleep(ms);
            } finally {
                running.get(user).decrementAndGet();
                doneAt.put(exchange.getMessage().getHeader(RedisStreamsConstants.ENTRY_ID, String.class), System.nanoTime());
            }
        };
    }

    private static RouteBuilder route(String consumer, String options, Processor processor) {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("redis-streams:" + KEY + "?group=" + GROUP + "&consumer=" + consumer + "&block=200"
                     + "&concurrencyKey=RAW(${body[user]})&" + options)
                        .routeId("route-" + consumer)
                        .process(processor);
            }
        };
    }

    private List<String> addTasks(String user, int n) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add(xadd(KEY, "user", user, "n", Integer.toString(i)));
        }
        return ids;
    }

    @Test
    void aUserWithABacklogDoesNotHoldBackTheOthers() throws Exception {
        List<String> backlog = addTasks("heavy", 40);
        List<String> others = new ArrayList<>();
        for (String user : List.of("u1", "u2", "u3")) {
            others.addAll(addTasks(user, 3));
        }
        long start = System.nanoTime();
        context.addRoutes(route("c1", "concurrency=4&maxConcurrencyPerKey=1", slowCall(100)));

        await().atMost(Duration.ofSeconds(20)).until(() -> others.stream().allMatch(doneAt::containsKey));
        long othersDone = others.stream().mapToLong(doneAt::get).max().orElseThrow();
        long heavyDoneMeanwhile = backlog.stream().filter(id -> doneAt.containsKey(id) && doneAt.get(id) <= othersDone).count();
        // three users with three tasks of 100 ms each, one at a time: about 0.3 s; the heavy user's 40 take 4 s
        assertTrue(heavyDoneMeanwhile < 15, heavyDoneMeanwhile + " of the backlog finished before the others' 9 tasks: they waited for it");
        assertTrue((othersDone - start) / 1_000_000 < 3000, "the others took " + (othersDone - start) / 1_000_000 + " ms");
        RedisStreamsConsumer consumer = (RedisStreamsConsumer) context.getRoute("route-c1").getConsumer();
        assertTrue(new ManagedRedisStreamsConsumer(consumer).getKeyWaiting() > 0, "the backlog waits for its key, and shows");
        assertTrue(ConsumerFigures.of(consumer).keyWaiting() > 0, "on the streams page");
        RedisStreamsDevConsole console = new RedisStreamsDevConsole();
        console.setCamelContext(context);
        String text = (String) console.call(DevConsole.MediaType.TEXT);
        assertTrue(text.contains("Waiting for their key: "), text);
        @SuppressWarnings("unchecked")
        Map<String, Object> shown = ((List<Map<String, Object>>) ((Map<String, Object>) console.call(DevConsole.MediaType.JSON))
                .get("consumers")).get(0);
        assertTrue(((Number) shown.get("keyWaiting")).intValue() > 0, "in the dev console: " + shown);

        await().atMost(Duration.ofSeconds(30)).until(() -> backlog.stream().allMatch(doneAt::containsKey) && pendingCount(KEY, GROUP) == 0);
        assertEquals(0, consumer.getKeyWaiting());
        most.forEach((user, n) -> assertEquals(1, n.get(), user + " ran " + n.get() + " tasks at once"));
        assertEquals(49, calls.size(), "every task once");
        assertTrue(calls.stream().allMatch(call -> call[2].equals("1")), "waiting for a slot uses up no delivery");
        assertEquals(0, jedis.exists(ConcurrencyLeases.countsKey(new StreamGroup(KEY, GROUP)))
                        ? jedis.hlen(ConcurrencyLeases.countsKey(new StreamGroup(KEY, GROUP))) : 0,
                "every slot given back");
    }

    @Test
    void theLimitHoldsAcrossTwoContexts() throws Exception {
        Map<String, AtomicInteger> byContext = new ConcurrentHashMap<>();
        Processor call = slowCall(80);
        context.addRoutes(route("p1", "concurrency=5&maxConcurrencyPerKey=2", exchange -> {
            byContext.computeIfAbsent("p1", k -> new AtomicInteger()).incrementAndGet();
            call.process(exchange);
        }));
        try (CamelContext second = new DefaultCamelContext()) {
            RedisStreamsComponent component = new RedisStreamsComponent();
            component.getConfiguration().setHost(redis.host());
            component.getConfiguration().setPort(redis.port());
            second.addComponent("redis-streams", component);
            second.addRoutes(route("p2", "concurrency=5&maxConcurrencyPerKey=2", exchange -> {
                byContext.computeIfAbsent("p2", k -> new AtomicInteger()).incrementAndGet();
                call.process(exchange);
            }));
            second.start();
            RedisStreamsConsumer first = (RedisStreamsConsumer) context.getRoute("route-p1").getConsumer();
            RedisStreamsConsumer other = (RedisStreamsConsumer) second.getRoute("route-p2").getConsumer();
            await().atMost(Duration.ofSeconds(10)).until(() -> first.isHealthy() && other.isHealthy());
            // both readers wait in a blocking read: Redis hands the entries added one by one to them in turn (a reader
            // that read a key's entries first keeps its slots by handing them over, so all at once could go to one)
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                ids.addAll(addTasks("a", 1));
                ids.addAll(addTasks("b", 1));
            }

            await().atMost(Duration.ofSeconds(30)).until(() -> ids.stream().allMatch(doneAt::containsKey) && pendingCount(KEY, GROUP) == 0);
        }
        assertEquals(2, most.get("a").get(), "key a ran " + most.get("a") + " at once over both contexts");
        assertEquals(2, most.get("b").get(), "key b ran " + most.get("b") + " at once over both contexts");
        assertEquals(24, calls.size(), "every task once");
        assertTrue(calls.stream().allMatch(c -> c[2].equals("1")), "waiting for a slot uses up no delivery");
        assertTrue(byContext.containsKey("p1") && byContext.containsKey("p2"), "both contexts worked: " + byContext);
    }

    @Test
    void theSlotsAndEntriesOfAConsumerThatDiedAreTakenOver() throws Exception {
        List<String> ids = addTasks("a", 3);
        jedis.xgroupCreate(KEY, GROUP, new StreamEntryID(0, 0), false);
        // a consumer that read the entries and holds key a's only slot, then died without a word (kill -9)
        jedis.xreadGroup(GROUP, "dead", XReadGroupParams.xReadGroupParams().count(10), Map.of(KEY, StreamEntryID.UNRECEIVED_ENTRY));
        try (RedisStreamsClient client = context.getComponent("redis-streams", RedisStreamsComponent.class).newClient()) {
            assertEquals(List.of(true), ConcurrencyLeases.acquire(client, new StreamGroup(KEY, GROUP), 1, 1500,
                    List.of(ConcurrencyLeases.member("dead#1", "a"))));
        }
        long start = System.currentTimeMillis();
        context.addRoutes(route("c1", "concurrency=2&maxConcurrencyPerKey=1&minIdleTime=1s&claimInterval=200", slowCall(20)));

        await().atMost(Duration.ofSeconds(20)).until(() -> ids.stream().allMatch(doneAt::containsKey) && pendingCount(KEY, GROUP) == 0);
        assertTrue(System.currentTimeMillis() - start >= 1000, "taken over only once idle for minIdleTime");
        assertEquals(3, calls.size());
        assertEquals(1, most.get("a").get());
    }
}
