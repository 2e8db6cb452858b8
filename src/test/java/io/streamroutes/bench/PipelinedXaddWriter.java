package io.streamroutes.bench;

import java.util.List;
import java.util.Map;

import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.PipeliningBase;
import redis.clients.jedis.Transaction;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.XAddParams;

/**
 * The upper bound, like {@code redis-benchmark -P 1000}: XADDs pipelined, one round trip per 1000 entries. With
 * {@code multi}, what all-or-nothing costs by itself: each 1000 sent as {@code MULTI}, the XADDs, {@code EXEC} (Jedis'
 * public {@link Transaction}, which sends without waiting and reads every reply at {@code exec()}), still one round
 * trip, as our batched producer sends a List body.
 */
final class PipelinedXaddWriter implements StreamWriter {

    private static final int DEPTH = 1000;

    private final BenchRedis redis;
    private final boolean multi;
    private Jedis jedis;
    private Pipeline pipeline;
    /** multi: the batch being queued, null before its first XADD. */
    private Transaction transaction;
    private String key;
    private int queued;

    PipelinedXaddWriter(BenchRedis redis, boolean multi) {
        this.redis = redis;
        this.multi = multi;
    }

    @Override
    public String id() {
        return multi ? "pipelined-multi-xadd" : "pipelined-xadd";
    }

    @Override
    public String name() {
        return multi ? "pipelined MULTI/EXEC XADD (" + DEPTH + ")" : "pipelined Jedis XADD (depth " + DEPTH + ")";
    }

    @Override
    public boolean synchronous() {
        return false;
    }

    @Override
    public void open(String key) {
        this.key = key;
        jedis = redis.newJedis();
        pipeline = multi ? null : new Pipeline(jedis.getConnection());
    }

    @Override
    public void send(Map<String, String> fields) {
        batch().xadd(key, XAddParams.xAddParams(), fields);
        if (++queued == DEPTH) {
            flush();
        }
    }

    private PipeliningBase batch() {
        if (!multi) {
            return pipeline;
        }
        if (transaction == null) {
            transaction = new Transaction(jedis.getConnection()); // sends MULTI
        }
        return transaction;
    }

    @Override
    public void flush() {
        if (multi) {
            exec();
        } else {
            pipeline.sync();
        }
        queued = 0;
    }

    private void exec() {
        if (transaction == null) {
            return;
        }
        List<Object> replies = transaction.exec();
        transaction = null;
        if (replies == null || replies.size() != queued) {
            throw new IllegalStateException("EXEC ran " + (replies == null ? "nothing" : replies.size() + " commands") + " of " + queued);
        }
        for (Object reply : replies) {
            if (reply instanceof JedisDataException e) {
                throw e;
            }
        }
    }

    @Override
    public void close() {
        if (jedis != null) {
            jedis.close();
        }
    }
}
