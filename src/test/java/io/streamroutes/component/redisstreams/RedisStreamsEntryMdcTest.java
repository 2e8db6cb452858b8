package io.streamroutes.component.redisstreams;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamroutes.component.redisstreams.consumer.support.EntryMdc;
import io.streamroutes.logging.JsonLineEncoder;
import org.apache.camel.Exchange;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteBuilder;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The entry's stream and id in the logging MDC while its exchange runs, on the reading thread (one entry after the
 * other of a read) and on worker threads ({@code concurrency} above 1), against a real Redis; a failing entry's
 * exchange (retried) carries its own id too. A batch's exchange ({@code batching=true}) carries the stream and its first
 * and last entry ids, on the lines of its JSON log.
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

    @Test
    void aBatchCarriesItsStreamAndFirstAndLastEntryIdsOnEveryLine() throws Exception {
        jedis.xgroupCreate(KEY, "g", null, true);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            ids.add(xadd(KEY, "n", Integer.toString(i)));
        }
        Logger logger = (Logger) LoggerFactory.getLogger("io.streamroutes.test.batches");
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        logger.addAppender(lines);
        Map<String, String> batches = new ConcurrentHashMap<>(); // first id -> last id, from the batch's own entries
        try {
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("redis-streams:" + KEY + "?group=g&block=100&count=10&batching=true")
                            .process(exchange -> {
                                List<?> inner = exchange.getMessage().getBody(List.class);
                                batches.put(((Exchange) inner.get(0)).getMessage().getHeader(RedisStreamsConstants.ENTRY_ID, String.class),
                                        ((Exchange) inner.get(inner.size() - 1)).getMessage().getHeader(RedisStreamsConstants.ENTRY_ID, String.class));
                            })
                            .log(LoggingLevel.INFO, "io.streamroutes.test.batches", "batch of ${body.size()}");
                }
            });
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> pendingCount(KEY, "g") == 0 && batches.values().contains(ids.get(24)));
            List<ILoggingEvent> events;
            synchronized (lines) {
                events = List.copyOf(lines.list);
            }
            assertEquals(batches.size(), events.size(), "one line per batch");
            for (ILoggingEvent event : events) {
                JsonNode line = new ObjectMapper().readTree(new JsonLineEncoder().encode(event)); // as LOG_FORMAT=json prints it
                assertEquals(KEY, line.path(EntryMdc.STREAM).asText(), line.toString());
                String first = line.path(EntryMdc.FIRST_ENTRY_ID).asText();
                assertEquals(batches.get(first), line.path(EntryMdc.LAST_ENTRY_ID).asText(), line.toString());
                assertFalse(line.has(EntryMdc.ENTRY_ID), "no single entry id for a batch: " + line);
            }
        } finally {
            logger.detachAppender(lines);
        }
    }

    @Test
    void aBatchsKeysAreGoneWhenItIsDone() {
        MDC.put(EntryMdc.ENTRY_ID, "outer");
        try (EntryMdc mdc = EntryMdc.ofBatch(KEY, "1-0", "9-0")) {
            assertEquals(KEY, MDC.get(EntryMdc.STREAM));
            assertEquals("1-0", MDC.get(EntryMdc.FIRST_ENTRY_ID));
            assertEquals("9-0", MDC.get(EntryMdc.LAST_ENTRY_ID));
            assertEquals(null, MDC.get(EntryMdc.ENTRY_ID));
        } finally {
            assertEquals("outer", MDC.get(EntryMdc.ENTRY_ID));
            assertEquals(null, MDC.get(EntryMdc.STREAM));
            assertEquals(null, MDC.get(EntryMdc.FIRST_ENTRY_ID));
            assertEquals(null, MDC.get(EntryMdc.LAST_ENTRY_ID));
            MDC.remove(EntryMdc.ENTRY_ID);
        }
    }
}
