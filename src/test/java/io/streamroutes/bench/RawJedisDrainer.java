package io.streamroutes.bench;

import java.util.List;
import java.util.Map;

import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.params.XReadGroupParams;
import redis.clients.jedis.resps.StreamEntry;

/**
 * The hand-written baseline: one thread, XREADGROUP COUNT 100, process the batch, then one XACK for the whole batch,
 * pipelined with the next XREADGROUP (one round trip per batch).
 */
final class RawJedisDrainer implements Drainer {

    static final int COUNT = 100;
    private static final int BLOCK_MS = 100;

    private final BenchRedis redis;
    private Jedis jedis;
    private Thread thread;
    private volatile boolean running = true;
    private volatile Exception failure;

    RawJedisDrainer(BenchRedis redis) {
        this.redis = redis;
    }

    @Override
    public String id() {
        return "raw-loop";
    }

    @Override
    public String name() {
        return "raw Jedis loop";
    }

    @Override
    public void prepare(String key, EntrySink sink) {
        jedis = redis.newJedis();
        thread = new Thread(() -> loop(key, sink), "raw-jedis-drainer");
    }

    @Override
    public void start() {
        thread.start();
    }

    private void loop(String key, EntrySink sink) {
        Pipeline pipeline = new Pipeline(jedis.getConnection());
        XReadGroupParams params = XReadGroupParams.xReadGroupParams().count(COUNT).block(BLOCK_MS);
        Map<String, StreamEntryID> from = Map.of(key, StreamEntryID.XREADGROUP_UNDELIVERED_ENTRY);
        StreamEntryID[] toAck = new StreamEntryID[0];
        try {
            while (running) {
                if (toAck.length > 0) {
                    pipeline.xack(key, BenchStreams.GROUP, toAck);
                }
                Response<List<Map.Entry<String, List<StreamEntry>>>> read =
                        pipeline.xreadGroup(BenchStreams.GROUP, "raw", params, from);
                pipeline.sync();
                List<Map.Entry<String, List<StreamEntry>>> streams = read.get();
                List<StreamEntry> entries = streams == null || streams.isEmpty() ? List.of() : streams.get(0).getValue();
                toAck = new StreamEntryID[entries.size()];
                for (int i = 0; i < toAck.length; i++) {
                    StreamEntry entry = entries.get(i);
                    sink.accept(entry.getFields());
                    toAck[i] = entry.getID();
                }
            }
            if (toAck.length > 0) {
                pipeline.xack(key, BenchStreams.GROUP, toAck);
                pipeline.sync();
            }
        } catch (Exception e) {
            failure = e;
        }
    }

    @Override
    public void close() throws Exception {
        running = false;
        if (thread != null) {
            thread.join(5000);
        }
        if (jedis != null) {
            jedis.close();
        }
        if (failure != null) {
            throw failure;
        }
    }
}
