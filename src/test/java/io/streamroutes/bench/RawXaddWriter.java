package io.streamroutes.bench;

import java.util.Map;

import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.XAddParams;

/** The baseline producer: one synchronous XADD per entry on one Jedis connection. */
final class RawXaddWriter implements StreamWriter {

    private final BenchRedis redis;
    private Jedis jedis;
    private String key;

    RawXaddWriter(BenchRedis redis) {
        this.redis = redis;
    }

    @Override
    public String id() {
        return "raw-xadd";
    }

    @Override
    public String name() {
        return "raw Jedis XADD";
    }

    @Override
    public boolean synchronous() {
        return true;
    }

    @Override
    public void open(String key) {
        this.key = key;
        jedis = redis.newJedis();
    }

    @Override
    public void send(Map<String, String> fields) {
        jedis.xadd(key, XAddParams.xAddParams(), fields);
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        if (jedis != null) {
            jedis.close();
        }
    }
}
