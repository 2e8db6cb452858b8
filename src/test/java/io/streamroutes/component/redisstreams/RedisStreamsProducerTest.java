package io.streamroutes.component.redisstreams;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.streamroutes.component.redisstreams.client.RedisStreamsClient;
import io.streamroutes.component.redisstreams.client.StreamWrites;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.StreamEntryID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RedisStreamsProducerTest extends RedisStreamsTestSupport {

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:add").to("redis-streams:media:results");
                from("direct:trimmed").to("redis-streams:media:trimmed?maxLen=100");
                from("direct:pipelined").to("redis-streams:media:results?atomicBatch=false");
            }
        };
    }

    @Test
    void addsTheMapBodyAsOneEntryAndReturnsItsId() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("file_id", "789");
        body.put("action", "resize");
        body.put("width", 1024);
        body.put("raw", new byte[] { (byte) 0xff, 0x00 });
        Exchange result = template.request("direct:add", e -> e.getIn().setBody(body));
        String id = result.getMessage().getHeader(RedisStreamsConstants.ENTRY_ID, String.class);
        var entries = jedis.xrange("media:results", (StreamEntryID) null, (StreamEntryID) null);
        assertEquals(1, entries.size());
        assertEquals(id, entries.get(0).getID().toString());
        assertEquals("1024", entries.get(0).getFields().get("width"));
        // field order and raw bytes, straight from the server's reply
        List<?> reply = (List<?>) jedis.sendCommand(Protocol.Command.XRANGE, "media:results", "-", "+");
        List<?> fields = (List<?>) ((List<?>) reply.get(0)).get(1);
        assertEquals(List.of("file_id", "789", "action", "resize", "width", "1024", "raw"),
                fields.subList(0, 7).stream().map(b -> new String((byte[]) b)).toList());
        assertTrue(java.util.Arrays.equals(new byte[] { (byte) 0xff, 0x00 }, (byte[]) fields.get(7)));
    }

    @Test
    void concurrentSendersEachAddTheirEntries() throws Exception {
        // the producer keeps clients open between calls; a client must never be shared by two callers at once
        int threads = 12;
        int perThread = 200;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        try {
            List<java.util.concurrent.Future<java.util.Set<String>>> results = new java.util.ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                results.add(pool.submit(() -> {
                    java.util.Set<String> ids = new java.util.HashSet<>();
                    for (int i = 0; i < perThread; i++) {
                        Exchange sent = template.request("direct:add", e -> e.getIn().setBody(Map.of("t", thread)));
                        if (sent.getException() != null) {
                            throw sent.getException();
                        }
                        ids.add(sent.getMessage().getHeader(RedisStreamsConstants.ENTRY_ID, String.class));
                    }
                    return ids;
                }));
            }
            java.util.Set<String> all = new java.util.HashSet<>();
            for (var result : results) {
                all.addAll(result.get(60, java.util.concurrent.TimeUnit.SECONDS));
            }
            assertEquals(threads * perThread, all.size(), "every send returned its own entry id");
            assertEquals(threads * perThread, jedis.xlen("media:results"));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void maxLenTrimsTheStreamApproximately() {
        for (int i = 0; i < 1000; i++) {
            template.sendBody("direct:trimmed", Map.of("n", i));
        }
        long length = jedis.xlen("media:trimmed");
        assertTrue(length >= 100 && length < 1000, "XLEN after MAXLEN ~ 100: " + length);
    }

    @Test
    void aBatchIsTrimmedByMaxLenToo() {
        for (int b = 0; b < 10; b++) {
            List<Map<String, Object>> batch = new java.util.ArrayList<>();
            for (int i = 0; i < 100; i++) {
                batch.add(Map.of("n", b * 100 + i));
            }
            template.sendBody("direct:trimmed", batch);
        }
        long length = jedis.xlen("media:trimmed");
        assertTrue(length >= 100 && length < 1000, "XLEN after batches with MAXLEN ~ 100: " + length);
        // trimming drops the oldest: the newest entry is the last one of the last batch
        assertEquals("999", jedis.xrevrange("media:trimmed", (StreamEntryID) null, (StreamEntryID) null, 1).get(0).getFields().get("n"));
    }

    @Test
    void aBodyThatIsNotAMapIsAClearError() {
        CamelExecutionException e = assertThrows(CamelExecutionException.class, () -> template.sendBody("direct:add", "hello"));
        assertTrue(e.getCause().getMessage().contains("needs a java.util.Map") && e.getCause().getMessage().contains("java.lang.String"),
                e.getCause().getMessage());
        assertEquals(0, jedis.xlen("media:results"));
    }

    @Test
    void anEmptyMapOrNullValueIsAClearError() {
        CamelExecutionException empty = assertThrows(CamelExecutionException.class, () -> template.sendBody("direct:add", Map.of()));
        assertTrue(empty.getCause().getMessage().contains("at least one field"));
        Map<String, Object> withNull = new LinkedHashMap<>();
        withNull.put("a", null);
        CamelExecutionException nul = assertThrows(CamelExecutionException.class, () -> template.sendBody("direct:add", withNull));
        assertTrue(nul.getCause().getMessage().contains("field a of the body has a null value"), nul.getCause().getMessage());
    }

    @Test
    void aCollectionOfMapsIsAddedAsOneBatchInOrder() {
        List<Map<String, Object>> batch = List.of(Map.of("n", 1), Map.of("n", 2, "action", "preview"), Map.of("n", 3));
        Exchange result = template.request("direct:add", e -> e.getIn().setBody(batch));
        List<?> ids = result.getMessage().getHeader(RedisStreamsConstants.ENTRY_IDS, List.class);
        var entries = jedis.xrange("media:results", (StreamEntryID) null, (StreamEntryID) null);
        assertEquals(entries.stream().map(entry -> entry.getID().toString()).toList(), ids);
        assertEquals(List.of("1", "2", "3"), entries.stream().map(entry -> entry.getFields().get("n")).toList());
        assertEquals("preview", entries.get(1).getFields().get("action"));
        assertEquals(null, result.getMessage().getHeader(RedisStreamsConstants.ENTRY_ID));

        Exchange empty = template.request("direct:add", e -> e.getIn().setBody(List.of()));
        assertEquals(List.of(), empty.getMessage().getHeader(RedisStreamsConstants.ENTRY_IDS));
        assertEquals(3, jedis.xlen("media:results"));
    }

    @Test
    void aBatchIsOneTransactionUnlessAtomicBatchIsFalse() {
        List<Map<String, Object>> batch = List.of(Map.of("n", 1), Map.of("n", 2, "action", "preview"), Map.of("n", 3));
        jedis.configResetStat();
        template.sendBody("direct:add", batch);
        assertTrue(jedis.info("commandstats").contains("cmdstat_multi:calls=1,"), jedis.info("commandstats"));

        jedis.configResetStat();
        Exchange result = template.request("direct:pipelined", e -> e.getIn().setBody(batch));
        String stats = jedis.info("commandstats");
        assertFalse(stats.contains("cmdstat_multi:"), stats);
        assertTrue(stats.contains("cmdstat_xadd:calls=3,"), stats);
        var entries = jedis.xrange("media:results", (StreamEntryID) null, (StreamEntryID) null).subList(3, 6);
        assertEquals(entries.stream().map(entry -> entry.getID().toString()).toList(),
                result.getMessage().getHeader(RedisStreamsConstants.ENTRY_IDS, List.class));
        assertEquals(List.of("1", "2", "3"), entries.stream().map(entry -> entry.getFields().get("n")).toList());
        assertEquals("preview", entries.get(1).getFields().get("action"));
    }

    @Test
    void aPipelinedBatchWithABadElementAddsNothing() {
        Map<String, Object> withNull = new LinkedHashMap<>();
        withNull.put("n", null);
        List<Object> batch = List.of(Map.of("n", 1), Map.of("n", 2), withNull);
        CamelExecutionException e = assertThrows(CamelExecutionException.class, () -> template.sendBody("direct:pipelined", batch));
        assertTrue(e.getCause().getMessage().contains("field n of element 2 of the batch has a null value"), e.getCause().getMessage());
        assertEquals(0, jedis.xlen("media:results"));
    }

    @FunctionalInterface
    private interface ClientCheck {
        void run(RedisStreamsClient client, List<List<byte[]>> batch, StreamWrites.EntryFields asIs) throws Exception;
    }

    /** A client on its own connection factory, a batch of two entries, "media:not-a-stream" a string key. */
    @SuppressWarnings("unchecked")
    private void withClient(ClientCheck check) throws Exception {
        RedisStreamsConfiguration config = new RedisStreamsConfiguration();
        config.setHost(redis.host());
        config.setPort(redis.port());
        var factory = RedisStreamsComponent.createFactory(config);
        try (RedisStreamsClient client = new RedisStreamsClient(factory)) {
            jedis.set("media:not-a-stream", "x");
            check.run(client, List.of(List.of("n".getBytes(), "1".getBytes()), List.of("n".getBytes(), "2".getBytes())),
                    (element, index) -> (List<byte[]>) element);
        } finally {
            factory.destroy();
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void aPipelinedBatchKeepsTheConnectionInStepWhenRedisRefusesOrAnElementFails() throws Exception {
        withClient((client, batch, asIs) -> {
            RuntimeException refused = assertThrows(RuntimeException.class, () -> client.addAllPipelined("media:not-a-stream", 0, batch, asIs));
            assertTrue(refused.getMessage().contains("WRONGTYPE"), refused.getMessage());
            // an element that fails after the first was sent: that one is added, no transaction undoes it
            IllegalStateException failed = assertThrows(IllegalStateException.class, () -> client.addAllPipelined("media:results", 0,
                    batch, (element, index) -> {
                        if (index == 1) {
                            throw new IllegalStateException("element 1 failed");
                        }
                        return (List<byte[]>) element;
                    }));
            assertEquals("element 1 failed", failed.getMessage());
            assertEquals(1, jedis.xlen("media:results"));
            // every reply was read: the next command gets its own replies
            List<String> ids = client.addAllPipelined("media:results", 0, batch, asIs);
            assertEquals(jedis.xrange("media:results", (StreamEntryID) null, (StreamEntryID) null).stream().skip(1)
                    .map(entry -> entry.getID().toString()).toList(), ids);
            assertEquals("x", jedis.get("media:not-a-stream"));
        });
    }

    @Test
    void aBatchWithABadElementAddsNothing() {
        List<Object> batch = List.of(Map.of("n", 1), "not a map", Map.of("n", 3));
        CamelExecutionException e = assertThrows(CamelExecutionException.class, () -> template.sendBody("direct:add", batch));
        assertTrue(e.getCause().getMessage().contains("element 1 of the batch is a java.lang.String"), e.getCause().getMessage());
        assertEquals(0, jedis.xlen("media:results"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void aBatchRedisRefusesAddsNothingAndTheConnectionStaysUsable() throws Exception {
        withClient((client, batch, asIs) -> {
            RuntimeException refused = assertThrows(RuntimeException.class, () -> client.addAll("media:not-a-stream", 0, batch, asIs));
            assertTrue(refused.getMessage().contains("WRONGTYPE"), refused.getMessage());
            // an element found invalid after the first were sent: DISCARD, nothing added
            IllegalArgumentException invalid = assertThrows(IllegalArgumentException.class, () -> client.addAll("media:results", 0,
                    batch, (element, index) -> {
                        if (index == 1) {
                            throw new IllegalArgumentException("element 1 is invalid");
                        }
                        return (List<byte[]>) element;
                    }));
            assertEquals("element 1 is invalid", invalid.getMessage());
            assertFalse(jedis.exists("media:results"));
            // every reply of the refused and the discarded batch was read: the next command gets its own replies
            List<String> ids = client.addAll("media:results", 0, batch, asIs);
            assertEquals(jedis.xrange("media:results", (StreamEntryID) null, (StreamEntryID) null).stream()
                    .map(entry -> entry.getID().toString()).toList(), ids);
            assertEquals(2, ids.size());
            assertEquals("x", jedis.get("media:not-a-stream"));
        });
    }
}
