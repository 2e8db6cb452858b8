package io.streamroutes.component.redisstreams;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A stop does not wait for a reader's blocking read to time out: the consumer ends it with CLIENT UNBLOCK. The block
 * time here (20 s) is far above what the stop may take, so waiting it out fails the test.
 */
class RedisStreamsStopTest extends RedisStreamsTestSupport {

    private static final String KEY = "stop:events";
    private static final String GROUP = "stop-workers";
    private static final long BLOCK_MS = 20_000;
    private static final Duration STOP_WITHIN = Duration.ofSeconds(5);

    private final List<String> received = new CopyOnWriteArrayList<>();

    private void route(String uri) throws Exception {
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri).routeId("reader").process(e -> received.add(e.getIn().getHeader(RedisStreamsConstants.ENTRY_ID, String.class)));
            }
        });
    }

    /** Redis lists the reading connection as blocked in {@code command}. */
    private void awaitBlockedIn(String command) {
        await("reader blocked in " + command).atMost(Duration.ofSeconds(10))
                .until(() -> jedis.clientList().lines().anyMatch(line -> line.contains("cmd=" + command) && line.contains("flags=b")));
    }

    private Duration timeStop() throws Exception {
        long start = System.nanoTime();
        context.getRouteController().stopRoute("reader");
        return Duration.ofNanos(System.nanoTime() - start);
    }

    @Test
    void aGroupReaderBlockedInXreadgroupStopsAtOnceAndLosesNothing() throws Exception {
        route("redis-streams:" + KEY + "?group=" + GROUP + "&consumer=c1&block=" + BLOCK_MS);
        String first = xadd(KEY, "n", "1");
        await("first entry").atMost(Duration.ofSeconds(10)).until(() -> received.contains(first));
        awaitBlockedIn("xreadgroup");

        Duration stop = timeStop();

        assertTrue(stop.compareTo(STOP_WITHIN) < 0, "stop took " + stop.toMillis() + " ms with BLOCK " + BLOCK_MS);
        assertFalse(jedis.clientList().contains("flags=b"), "no connection left blocked");
        assertEquals(0, pendingCount(KEY, GROUP), "the unblocked read delivered nothing");
        // an entry added while stopped is read after the restart: nothing was taken by the ended read
        String second = xadd(KEY, "n", "2");
        context.getRouteController().startRoute("reader");
        await("second entry after restart").atMost(Duration.ofSeconds(10)).until(() -> received.contains(second));
        assertEquals(List.of(first, second), received);
    }

    @Test
    void aPlainReaderBlockedInXreadStopsAtOnce() throws Exception {
        String first = xadd(KEY, "n", "1");
        route("redis-streams:" + KEY + "?startId=0&block=" + BLOCK_MS);
        await("first entry").atMost(Duration.ofSeconds(10)).until(() -> received.contains(first));
        awaitBlockedIn("xread");

        Duration stop = timeStop();

        assertTrue(stop.compareTo(STOP_WITHIN) < 0, "stop took " + stop.toMillis() + " ms with BLOCK " + BLOCK_MS);
        assertFalse(jedis.clientList().contains("flags=b"), "no connection left blocked");
    }

    @Test
    void withoutThePermissionTheStopWaitsForTheReadAsBefore() throws Exception {
        // an ACL user that may read streams but not use CLIENT: reading works, the stop falls back to the read's timeout
        jedis.aclSetUser("streams-only", "on", ">secret", "~*", "&*", "+@all", "-client");
        RedisStreamsComponent component = context.getComponent("redis-streams", RedisStreamsComponent.class);
        component.getConfiguration().setUsername("streams-only");
        component.getConfiguration().setPassword("secret");
        long block = 1500;
        route("redis-streams:" + KEY + "?group=" + GROUP + "&consumer=c1&block=" + block);
        String first = xadd(KEY, "n", "1");
        await("first entry").atMost(Duration.ofSeconds(10)).until(() -> received.contains(first));
        awaitBlockedIn("xreadgroup");

        Duration stop = timeStop();

        assertTrue(stop.compareTo(Duration.ofMillis(block + 5000)) < 0, "stop took " + stop.toMillis() + " ms");
        assertEquals(0, pendingCount(KEY, GROUP));
        assertEquals(List.of(first), received);
    }
}
