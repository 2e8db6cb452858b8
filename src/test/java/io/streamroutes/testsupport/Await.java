package io.streamroutes.testsupport;

import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.Callable;

import org.awaitility.core.ConditionFactory;
import org.awaitility.core.ThrowingRunnable;
import redis.clients.jedis.Jedis;

import static org.awaitility.Awaitility.await;

/** Named Awaitility waits for conditions several tests share. */
public final class Await {

    /** How long past its period a {@link #holds} wait may take: the first poll and a slow one on a loaded machine. */
    private static final Duration HOLD_MARGIN = Duration.ofSeconds(2);
    private static final Duration HOLD_POLL = Duration.ofMillis(50);

    private Await() {
    }

    /**
     * A negative check instead of a fixed sleep: the condition stays true for the whole {@code period}, checked on every
     * poll and failing at the first poll that finds it false. Polled in this thread, so it may use the test's own client.
     */
    public static void holds(String what, Duration period, Callable<Boolean> condition) {
        holding(what, period).failFast(broken(what, period), () -> !condition.call()).until(condition);
    }

    /** As {@link #holds}, for an assertion whose message shows the state that broke it (the cause of the failure). */
    public static void assertionHolds(String what, Duration period, ThrowingRunnable assertion) {
        holding(what, period).failFast(broken(what, period), assertion).untilAsserted(assertion);
    }

    // during() alone would start the period again after a break: the failFast of the callers makes a break fail the test
    private static ConditionFactory holding(String what, Duration period) {
        return await(what).during(period).atMost(period.plus(HOLD_MARGIN)).pollInterval(HOLD_POLL).pollInSameThread();
    }

    private static String broken(String what, Duration period) {
        return what + ": broken at a poll within the " + period.toMillis() + " ms";
    }

    /** Until a server accepts connections on 127.0.0.1:{@code port}, e.g. a redis-server a test started. */
    public static void listening(String what, int port, Duration timeout) {
        await(what + " listening on port " + port).atMost(timeout).until(() -> {
            try (Socket socket = new Socket("127.0.0.1", port)) {
                return true;
            } catch (IOException e) {
                return false;
            }
        });
    }

    /** Until the group has read up to {@code lastId} (its last-delivered id) and nothing is pending. */
    public static void allAcked(Jedis jedis, String key, String group, String lastId, Duration timeout) {
        // in this thread: the caller goes on using its client right after, even after a time-out
        await("entry " + lastId + " of " + key + " read and acked").atMost(timeout).pollInSameThread().until(() -> {
            var groups = jedis.xinfoGroups(key);
            return !groups.isEmpty() && lastId.equals(groups.get(0).getLastDeliveredId().toString())
                   && jedis.xpending(key, group).getTotal() == 0;
        });
    }
}
