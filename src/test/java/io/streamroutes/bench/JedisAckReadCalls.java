package io.streamroutes.bench;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.params.XReadGroupParams;
import redis.clients.jedis.resps.StreamEntry;

/**
 * Jedis' public pipelining, the baseline's ({@link RawJedisDrainer}). A read ahead runs on a second thread of its own
 * (the component's ReadAhead takes one from Camel's ExecutorServiceManager), which also decodes the reply.
 */
final class JedisAckReadCalls implements AckReadCalls<StreamEntry> {

    private static final XReadGroupParams BLOCKING =
            XReadGroupParams.xReadGroupParams().count(RawJedisDrainer.COUNT).block(BLOCK_MS);
    private static final XReadGroupParams NON_BLOCKING = XReadGroupParams.xReadGroupParams().count(RawJedisDrainer.COUNT);

    private final String key;
    private final Jedis jedis;
    private final Pipeline pipeline;
    private final ExecutorService io = Executors.newSingleThreadExecutor(r -> new Thread(r, "jedis-read-ahead"));

    JedisAckReadCalls(BenchRedis redis, String key) {
        this.key = key;
        this.jedis = redis.newJedis();
        this.pipeline = new Pipeline(jedis.getConnection());
    }

    @Override
    public List<StreamEntry> ackThenRead(List<StreamEntry> processed) {
        return call(processed, BLOCKING);
    }

    @Override
    public Future<List<StreamEntry>> ackThenReadAhead(List<StreamEntry> processed) {
        return io.submit(() -> call(processed, NON_BLOCKING));
    }

    private List<StreamEntry> call(List<StreamEntry> processed, XReadGroupParams params) {
        return ackThenReadGroup(pipeline, key, BenchStreams.GROUP, processed, params);
    }

    /** XACK of {@code processed} (if any) and XREADGROUP as consumer "raw" of {@code group}, in one round trip. */
    static List<StreamEntry> ackThenReadGroup(Pipeline pipeline, String key, String group, List<StreamEntry> processed,
                                              XReadGroupParams params) {
        if (!processed.isEmpty()) {
            pipeline.xack(key, group, processed.stream().map(StreamEntry::getID).toArray(StreamEntryID[]::new));
        }
        Response<List<Map.Entry<String, List<StreamEntry>>>> read =
                pipeline.xreadGroup(group, "raw", params, Map.of(key, StreamEntryID.XREADGROUP_UNDELIVERED_ENTRY));
        pipeline.sync();
        List<Map.Entry<String, List<StreamEntry>>> streams = read.get();
        return streams == null || streams.isEmpty() ? List.of() : streams.get(0).getValue();
    }

    @Override
    public Map<String, String> fields(StreamEntry entry) {
        return entry.getFields();
    }

    @Override
    public void close() {
        io.shutdownNow();
        jedis.close();
    }
}
