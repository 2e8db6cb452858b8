package io.streamroutes.component.redisstreams;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.streamroutes.component.redisstreams.consumer.support.EntryMdc;
import org.apache.camel.builder.RouteBuilder;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The entry's stream and id in the logging MDC while its exchange runs, on the reading thread (one entry after the
 * other of a read) and on worker threads ({@code concurrency} above 1), against a real Redis; a failing entry's
 * exchange (retried) carries its own id too.
 */
class RedisStreamsEntryMdcTest extends RedisStreamsTestSupport {

    private static final String KEY = "mdc:events";

    /** Entry id (header) → what the MDC said while its exchange ran: "stream entryId". */
    private final Map<String, String> seen = new ConcurrentHashMap<>();

    private void route(String options) throws Exception {
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("redis-streams:" + KEY + "?group=g&block=100&count=10&" + options)
                        .process(exchange -> {
                            String id = exchange.getMessage().getHeader(RedisStreamsConstants.ENTRY_ID, String.class);
                            seen.put(id, MDC.get(EntryMdc.STREAM) + " " + MDC.get(EntryMdc.ENTRY_ID));
                            if ("fail".equals(exchange.getMessage().getBody(Map.class).get("kind"))
                                && exchange.getMessage().getHeader(RedisStreamsConstants.DELIVERY_COUNT, Long.class) == 1) {
                                throw new IllegalStateException("first delivery fails");
                            }
                        });
            }
        });
    }

    private List<String> addEntries(int n) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add(xadd(KEY, "n", Integer.toString(i), "kind", i % 7 == 3 ? "fail" : "ok"));
        }
        return ids;
    }

    private void assertEachExchangeSawItsOwnEntry(List<String> ids) {
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> seen.keySet().containsAll(ids) && pendingCount(KEY, "g") == 0);
        for (String id : ids) {
            assertEquals(KEY + " " + id, seen.get(id), "MDC while entry " + id + " was processed");
        }
    }

    @Test
    void theReadingThreadPutsEachEntrysIdInTheMdc() throws Exception {
        jedis.xgroupCreate(KEY, "g", null, true);
        List<String> ids = addEntries(25);
        route("redeliveryDelay=50ms");
        assertEachExchangeSawItsOwnEntry(ids);
    }

    @Test
    void workerThreadsPutTheirEntrysIdInTheMdc() throws Exception {
        jedis.xgroupCreate(KEY, "g", null, true);
        List<String> ids = addEntries(25);
        route("redeliveryDelay=50ms&concurrency=4");
        assertEachExchangeSawItsOwnEntry(ids);
    }

    @Test
    void theKeysAreGoneWhenTheEntryIsDone() {
        MDC.put(EntryMdc.STREAM, "outer");
        try (EntryMdc mdc = EntryMdc.of(KEY)) {
            mdc.entry("1-0");
            assertEquals("1-0", MDC.get(EntryMdc.ENTRY_ID));
            mdc.entry("2-0");
            assertEquals(KEY, MDC.get(EntryMdc.STREAM));
            assertEquals("2-0", MDC.get(EntryMdc.ENTRY_ID));
        } finally {
            assertEquals("outer", MDC.get(EntryMdc.STREAM));
            assertEquals(null, MDC.get(EntryMdc.ENTRY_ID));
            MDC.remove(EntryMdc.STREAM);
        }
    }
}
