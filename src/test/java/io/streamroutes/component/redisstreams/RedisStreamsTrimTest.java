package io.streamroutes.component.redisstreams;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.camel.builder.RouteBuilder;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.params.XReadGroupParams;
import redis.clients.jedis.resps.StreamEntry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** trimAcknowledgedAfter and deadLetterMaxLen on a real Redis: bounded streams, never an unfinished entry removed. */
class RedisStreamsTrimTest extends RedisStreamsTestSupport {

    private static final String KEY = "jobs";

    @Test
    void durationsAreAcceptedInCamelsFormats() {
        assertEquals(3_600_000, trimAfter("1h"));
        assertEquals(1_800_000, trimAfter("30m"));
        assertEquals(5_000, trimAfter("5s"));
        assertEquals(500, trimAfter("500ms"));
        assertEquals(1500, trimAfter("1500"));
        assertEquals(2_000, context.getEndpoint("redis-streams:x?waitReplicas=1&waitTimeout=2s", RedisStreamsEndpoint.class)
                .getConfiguration().getWaitTimeout());
    }

    private long trimAfter(String value) {
        return context.getEndpoint("redis-streams:x?group=g&trimAcknowledgedAfter=" + value, RedisStreamsEndpoint.class)
                .getConfiguration().getTrimAcknowledgedAfter();
    }

    @Test
    void trimmingNeedsAGroup() {
        RedisStreamsEndpoint endpoint = context.getEndpoint("redis-streams:x?trimAcknowledgedAfter=1h", RedisStreamsEndpoint.class);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, endpoint::validateConsumerOptions);
        assertTrue(e.getMessage().contains("trimAcknowledgedAfter"), e.getMessage());
    }

    @Test
    void onlyEntriesEveryGroupFinishedAreTrimmed() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            ids.add(xadd(KEY, "n", Integer.toString(i)));
        }
        // audit: read 10, acked 5, so entries 5..9 are pending; lagging: a group that has read nothing yet
        jedis.xgroupCreate(KEY, "audit", new StreamEntryID(0, 0), false);
        jedis.xgroupCreate(KEY, "lagging", new StreamEntryID(0, 0), false);
        List<StreamEntry> audit = readGroup("audit", 10);
        jedis.xack(KEY, "audit", audit.subList(0, 5).stream().map(StreamEntry::getID).toArray(StreamEntryID[]::new));

        AtomicInteger processed = new AtomicInteger();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("redis-streams:" + KEY + "?group=workers&consumer=w&block=50&trimAcknowledgedAfter=100ms")
                        .process(e -> processed.incrementAndGet());
            }
        });
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> processed.get() == 30 && pendingCount(KEY, "workers") == 0);
        // several trim rounds (every second) while the lagging group has read nothing: all 30 must stay
        Awaitility.await().pollDelay(Duration.ofMillis(2500)).atMost(Duration.ofSeconds(5)).until(() -> true);
        assertEquals(30, jedis.xlen(KEY));

        List<StreamEntry> lagging = readGroup("lagging", 20);
        jedis.xack(KEY, "lagging", lagging.stream().map(StreamEntry::getID).toArray(StreamEntryID[]::new));
        // now audit's oldest pending entry (5) is the limit
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> jedis.xlen(KEY) == 25);
        assertEquals(ids.get(5), firstId());

        // audit finishes its 10 and reads and acks 5 more: lagging (read 20) decides; 20..29 are unread by it
        jedis.xack(KEY, "audit", audit.subList(5, 10).stream().map(StreamEntry::getID).toArray(StreamEntryID[]::new));
        List<StreamEntry> more = readGroup("audit", 5);
        jedis.xack(KEY, "audit", more.stream().map(StreamEntry::getID).toArray(StreamEntryID[]::new));
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> jedis.xlen(KEY) == 15);
        assertEquals(ids.get(15), firstId());
        Awaitility.await().pollDelay(Duration.ofMillis(2500)).atMost(Duration.ofSeconds(5)).until(() -> true);
        assertEquals(15, jedis.xlen(KEY), "entries that a group has not read must stay");
    }

    @Test
    void entriesYoungerThanTheAgeStay() throws Exception {
        AtomicInteger processed = new AtomicInteger();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("redis-streams:" + KEY + "?group=workers&consumer=w&block=50&trimAcknowledgedAfter=1h")
                        .process(e -> processed.incrementAndGet());
            }
        });
        for (int i = 0; i < 10; i++) {
            xadd(KEY, "n", Integer.toString(i));
        }
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> processed.get() == 10 && pendingCount(KEY, "workers") == 0);
        Awaitility.await().pollDelay(Duration.ofMillis(2500)).atMost(Duration.ofSeconds(5)).until(() -> true);
        assertEquals(10, jedis.xlen(KEY));
    }

    @Test
    void theDeadLetterStreamIsBoundedByDeadLetterMaxLen() throws Exception {
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("redis-streams:" + KEY + "?group=workers&consumer=w&block=50&count=100&deadLetterStream=jobs:dead&deadLetterMaxLen=10")
                        .process(e -> {
                            throw new RedisStreamsNonRetryableException("poison");
                        });
            }
        });
        for (int i = 0; i < 600; i++) {
            xadd(KEY, "n", Integer.toString(i));
        }
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> pendingCount(KEY, "workers") == 0 && jedis.xlen(KEY) == 600
                                                            && lastDeadLetterIs("599"));
        long length = jedis.xlen("jobs:dead");
        // MAXLEN ~ trims whole radix-tree nodes (100 entries by default): about 10, never all 600
        assertTrue(length >= 10 && length <= 110, "dead-letter stream length " + length);
    }

    private boolean lastDeadLetterIs(String n) {
        List<StreamEntry> last = jedis.xrevrange("jobs:dead", (StreamEntryID) null, (StreamEntryID) null, 1);
        return !last.isEmpty() && n.equals(last.get(0).getFields().get("n"));
    }

    private List<StreamEntry> readGroup(String group, int count) {
        List<Map.Entry<String, List<StreamEntry>>> reply = jedis.xreadGroup(group, "c", XReadGroupParams.xReadGroupParams().count(count),
                Map.of(KEY, StreamEntryID.XREADGROUP_UNDELIVERED_ENTRY));
        return reply.get(0).getValue();
    }

    private String firstId() {
        return jedis.xrange(KEY, (StreamEntryID) null, (StreamEntryID) null, 1).get(0).getID().toString();
    }
}
