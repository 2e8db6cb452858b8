package io.streamroutes.testsupport;

import java.io.IOException;
import java.net.Socket;
import java.time.Duration;

import redis.clients.jedis.Jedis;

import static org.awaitility.Awaitility.await;

/** Named Awaitility waits for conditions several tests share. */
public final class Await {

    private Await() {
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
