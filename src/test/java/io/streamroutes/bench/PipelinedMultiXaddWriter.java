package io.streamroutes.bench;

import java.util.List;
import java.util.Map;

import redis.clients.jedis.Jedis;
import redis.clients.jedis.Transaction;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.XAddParams;

/**
 * What all-or-nothing costs by itself: like {@link PipelinedXaddWriter}, one round trip per 1000 entries, but each 1000
 * sent as {@code MULTI}, the XADDs, {@code EXEC} (Jedis' public {@link Transaction}, which sends the commands without
 * waiting and reads every reply at {@code exec()}), as our batched producer sends a List body.
 */
final class PipelinedMultiXaddWriter implements StreamWriter {

    private final BenchRedis redis;
    private Jedis jedis;
    private Transaction transaction;
    private String key;
    private int queued;

    PipelinedMultiXaddWriter(BenchRedis redis) {
        this.redis = redis;
    }

    @Override
    public String id() {
        return "pipelined-multi-xadd";
    }

    @Override
    public String name() {
        return "pipelined MULTI/EXEC XADD (" + RouteWriter.BATCH + ")";
    }

    @Override
    public boolean synchronous() {
        return false;
    }

    @Override
    public void open(String key) {
        this.key = key;
        jedis = redis.newJedis();
    }

    @Override
    public void send(Map<String, String> fields) {
        if (transaction == null) {
            transaction = new Transaction(jedis.getConnection()); // sends MULTI
        }
        transaction.xadd(key, XAddParams.xAddParams(), fields);
        if (++queued == RouteWriter.BATCH) {
            flush();
        }
    }

    @Override
    public void flush() {
        if (transaction == null) {
            return;
        }
        List<Object> replies = transaction.exec();
        transaction = null;
        if (replies == null || replies.size() != queued) {
            throw new IllegalStateException("EXEC ran " + (replies == null ? "nothing" : replies.size() + " commands")
                                            + " of " + queued);
        }
        for (Object reply : replies) {
            if (reply instanceof JedisDataException e) {
                throw e;
            }
        }
        queued = 0;
    }

    @Override
    public void close() {
        if (jedis != null) {
            jedis.close();
        }
    }
}
