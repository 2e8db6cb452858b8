package io.streamroutes.ratelimit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.streamroutes.component.redisstreams.RedisStreamsComponent;
import io.streamroutes.component.redisstreams.RedisStreamsRetryAfterException;
import io.streamroutes.component.redisstreams.client.RedisStreamsClient;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The rate-limit script and the {@link SharedRateLimit} bean against a real Redis, reached through the
 * {@code redis-streams} component as the routes reach it. Subclasses say which server.
 */
abstract class RateLimitScriptContract {

    static final long NO_LIMIT_ON_WAIT = Long.MAX_VALUE / 4;

    abstract String host();

    abstract int port();

    CamelContext context;
    RedisStreamsComponent component;
    Jedis jedis;

    @BeforeEach
    void startContext() throws Exception {
        jedis = new Jedis(host(), port());
        jedis.flushAll();
        context = new DefaultCamelContext();
        component = new RedisStreamsComponent();
        component.getConfiguration().setHost(host());
        component.getConfiguration().setPort(port());
        context.addComponent("redis-streams", component);
        context.start();
    }

    @AfterEach
    void stopContext() throws Exception {
        context.close();
        jedis.close();
    }

    RateLimitAnswer reserve(String name, long intervalMicros, long maxWaitMicros) {
        try (RedisStreamsClient client = component.newClient()) {
            return RateLimitScript.reserve(client, SharedRateLimit.key(name), intervalMicros, maxWaitMicros);
        }
    }

    SharedRateLimit bean(long maxWaitMs) {
        SharedRateLimit bean = new SharedRateLimit();
        bean.setCamelContext(context);
        bean.setMaxWaitMs(maxWaitMs);
        return bean;
    }

    @Test
    void aBurstIsSpreadOneIntervalApart() {
        long started = System.nanoTime();
        List<Long> waits = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            RateLimitAnswer answer = reserve("burst", 100_000, NO_LIMIT_ON_WAIT);
            assertTrue(answer.reserved());
            waits.add(answer.waitMicros());
        }
        long elapsedMicros = (System.nanoTime() - started) / 1000;
        assertEquals(0, waits.get(0), "the first call goes at once");
        for (int i = 1; i < 10; i++) {
            long due = i * 100_000L;
            assertTrue(waits.get(i) <= due && waits.get(i) >= due - elapsedMicros,
                    "call " + i + " waits about " + due + " µs: " + waits);
        }
    }

    @Test
    void aCallerThatWouldWaitTooLongTakesNoSlot() {
        reserve("patient", 1_000_000, NO_LIMIT_ON_WAIT);
        RateLimitAnswer tooLong = reserve("patient", 1_000_000, 200_000);
        assertFalse(tooLong.reserved());
        assertTrue(tooLong.waitMicros() > 500_000 && tooLong.waitMicros() <= 1_000_000, "wait " + tooLong.waitMicros());
        RateLimitAnswer next = reserve("patient", 1_000_000, NO_LIMIT_ON_WAIT);
        assertTrue(next.reserved());
        assertTrue(next.waitMicros() <= 1_000_000, "the refused caller took no slot: " + next.waitMicros());
    }

    @Test
    void limitsWithDifferentNamesDoNotInterfere() {
        for (int i = 0; i < 5; i++) {
            reserve("provider-a", 1_000_000, NO_LIMIT_ON_WAIT);
        }
        assertEquals(new RateLimitAnswer(true, 0), reserve("provider-b", 1_000_000, NO_LIMIT_ON_WAIT));
        assertTrue(reserve("provider-a", 1_000_000, NO_LIMIT_ON_WAIT).waitMicros() > 4_000_000);
    }

    @Test
    void theStateIsOneKeyThatExpiresOnceItsSlotHasPassed() {
        reserve("integration.provider.stripe", 300_000, NO_LIMIT_ON_WAIT);
        String key = "ratelimit:{integration.provider.stripe}";
        assertEquals(List.of(key), new ArrayList<>(jedis.keys("*")));
        long ttl = jedis.pttl(key);
        assertTrue(ttl > 0 && ttl <= 302, "expires when the next slot is due: " + ttl + " ms");
        long tat = Long.parseLong(jedis.get(key));
        List<String> time = jedis.time();
        long serverNow = Long.parseLong(time.get(0)) * 1_000_000 + Long.parseLong(time.get(1));
        assertTrue(tat > serverNow && tat <= serverNow + 300_000, "microseconds of the server's clock, exactly: " + tat);
    }

    @Test
    void aServerThatLostTheScriptIsSentItAgain() {
        reserve("flush", 1000, NO_LIMIT_ON_WAIT);
        assertTrue(jedis.scriptExists(RateLimitScript.SCRIPT.sha1()), "EVALSHA's sha1 is the one Redis computes");
        jedis.scriptFlush();
        assertTrue(reserve("flush", 1000, NO_LIMIT_ON_WAIT).reserved());
        assertTrue(jedis.scriptExists(RateLimitScript.SCRIPT.sha1()), "loaded again after NOSCRIPT");
    }

    @Test
    void theBeanHoldsASteadyRateAcrossThreads() throws Exception {
        context.getPropertiesComponent().addOverrideProperty("test.steady.rate-limit", "20");
        SharedRateLimit limit = bean(10_000);
        List<Long> passed = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(4);
        long started = System.nanoTime();
        try {
            List<Future<?>> calls = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                calls.add(pool.submit(() -> {
                    limit.acquire("test.steady");
                    passed.add(System.nanoTime());
                }));
            }
            for (Future<?> call : calls) {
                call.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        long elapsedMs = (System.nanoTime() - started) / 1_000_000;
        assertTrue(elapsedMs >= 29 * 50 - 20, "30 calls at 20/s take at least 1.45 s: " + elapsedMs + " ms");
        assertTrue(elapsedMs < 5_000, "and do not stall: " + elapsedMs + " ms");
        List<Long> sorted = new ArrayList<>(passed);
        Collections.sort(sorted);
        for (int i = 0; i + 20 < sorted.size(); i++) {
            // 150 ms allowed for a thread woken late
            assertTrue(sorted.get(i + 20) - sorted.get(i) >= 850_000_000L, "no 21 calls within one second");
        }
    }

    @Test
    void theBeanRetriesLaterWhenTheWaitIsLongerThanItsBound() {
        context.getPropertiesComponent().addOverrideProperty("test.slow.rate-limit", "0.5");
        SharedRateLimit limit = bean(500);
        limit.acquire("test.slow");
        RedisStreamsRetryAfterException e = assertThrows(RedisStreamsRetryAfterException.class, () -> limit.acquire("test.slow"));
        assertTrue(e.getDelay().compareTo(Duration.ofSeconds(1)) > 0 && e.getDelay().compareTo(Duration.ofSeconds(2)) <= 0,
                "retry when the slot comes: " + e.getDelay());
    }

    @Test
    void withoutARateLimitSettingRedisIsNotAsked() {
        bean(0).acquire("test.unlimited");
        context.getPropertiesComponent().addOverrideProperty("test.empty.rate-limit", "");
        bean(0).acquire("test.empty");
        assertTrue(jedis.keys("*").isEmpty());
    }

    @Test
    void aNameThatCouldBreakTheKeyIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> bean(0).acquire("a}b"));
        assertThrows(IllegalArgumentException.class, () -> bean(0).acquire(""));
    }

    @Test
    void aSlotMissedByMoreThanOneIntervalIsGivenUpForANewOneRightBeforeTheRequest() {
        context.getPropertiesComponent().addOverrideProperty("test.late.rate-limit", "10");
        SharedRateLimit limit = bean(5000);
        String key = SharedRateLimit.key("test.late");
        limit.acquire("test.late");
        String reserved = jedis.get(key);
        SharedRateLimit.useReservedSlot(); // on time: the slot is used, nothing asked
        assertEquals(reserved, jedis.get(key));
        SharedRateLimit.useReservedSlot(); // no slot held any more: nothing asked either
        assertEquals(reserved, jedis.get(key));

        limit.acquire("test.late");
        String late = jedis.get(key);
        await().pollDelay(Duration.ofMillis(300)).until(() -> true); // held up after acquiring, e.g. by a cold HTTP client
        SharedRateLimit.useReservedSlot();
        assertTrue(Long.parseLong(jedis.get(key)) - Long.parseLong(late) >= 250_000,
                "a new slot, taken when the request was about to leave: " + late + " -> " + jedis.get(key));
    }
}
