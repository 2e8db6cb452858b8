package io.streamroutes.bench;

import java.util.Map;

import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.params.XAddParams;

/** The upper bound, like {@code redis-benchmark -P 1000}: XADDs pipelined, one round trip per 1000 entries. */
final class PipelinedXaddWriter implements StreamWriter {

    private static final int DEPTH = 1000;

    private final BenchRedis redis;
    private Jedis jedis;
    private Pipeline pipeline;
    private String key;
    private int queued;

    PipelinedXaddWriter(BenchRedis redis) {
        this.redis = redis;
    }

    @Override
    public String id() {
        return "pipelined-xadd";
    }

    @Override
    public String name() {
        return "pipelined Jedis XADD (depth " + DEPTH + ")";
    }

    @Override
    public boolean synchronous() {
        return false;
    }

    @Override
    public void open(String key) {
        this.key = key;
        jedis = redis.newJedis();
        pipeline = new Pipeline(jedis.getConnection());
    }

    @Override
    public void send(Map<String, String> fields) {
        pipeline.xadd(key, XAddParams.xAddParams(), fields);
        if (++queued == DEPTH) {
            flush();
        }
    }

    @Override
    public void flush() {
        pipeline.sync();
        queued = 0;
    }

    @Override
    public void close() {
        if (jedis != null) {
            jedis.close();
        }
    }
}
