package io.streamroutes.bench;

/**
 * The hand-written baseline: one thread, XREADGROUP COUNT 100, hand each entry to the sink, then one XACK for the
 * whole batch pipelined with the next XREADGROUP (one round trip per batch): {@link AckReadLoopDrainer}'s loop with
 * Jedis' public pipelining ({@link JedisAckReadCalls}), without reading ahead.
 */
final class RawJedisDrainer {

    static final int COUNT = 100;

    private RawJedisDrainer() {
    }

    static Drainer create(BenchRedis redis) {
        return new AckReadLoopDrainer<>(BenchReport.RAW_DRAIN, "raw Jedis loop", key -> new JedisAckReadCalls(redis, key), false);
    }
}
