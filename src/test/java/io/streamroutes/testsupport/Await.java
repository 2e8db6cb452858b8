package io.streamroutes.testsupport;

import java.util.function.BooleanSupplier;

import redis.clients.jedis.Jedis;

/** Polls a condition until it holds, failing with what was awaited when it does not within the time. */
public final class Await {

    private Await() {
    }

    public static void until(String what, long timeoutMs, BooleanSupplier condition) {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("Timed out after " + timeoutMs + " ms waiting for: " + what);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("Interrupted while waiting for: " + what, e);
            }
        }
    }

    /** Until a server accepts connections on 127.0.0.1:{@code port}, e.g. a redis-server a test started. */
    public static void listening(String what, int port, long timeoutMs) {
        until(what + " listening on port " + port, timeoutMs, () -> {
            try (var socket = new java.net.Socket("127.0.0.1", port)) {
                return true;
            } catch (java.io.IOException e) {
                return false;
            }
        });
    }

    /** Until the group has read up to {@code lastId} (its last-delivered id) and nothing is pending. */
    public static void allAcked(Jedis jedis, String key, String group, String lastId, long timeoutMs) {
        until("entry " + lastId + " of " + key + " read and acked", timeoutMs, () -> {
            var groups = jedis.xinfoGroups(key);
            return !groups.isEmpty() && lastId.equals(groups.get(0).getLastDeliveredId().toString())
                   && jedis.xpending(key, group).getTotal() == 0;
        });
    }
}
