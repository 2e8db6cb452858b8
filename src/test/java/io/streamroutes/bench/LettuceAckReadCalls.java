package io.streamroutes.bench;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;

import io.lettuce.core.Consumer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.StringCodec;

/**
 * Lettuce's asynchronous API: XACK and XREADGROUP are queued and flushed together (Lettuce's documented way to pipeline,
 * auto-flush off), so they go out in one write like Jedis' pipeline; Lettuce's Netty event-loop thread writes, reads and
 * decodes, and completes the future. A client of its own per contestant run, so its threads are the run's.
 */
final class LettuceAckReadCalls implements AckReadCalls<StreamMessage<String, String>> {

    private static final XReadArgs BLOCKING = XReadArgs.Builder.count(RawJedisDrainer.COUNT).block(BLOCK_MS);
    private static final XReadArgs NON_BLOCKING = XReadArgs.Builder.count(RawJedisDrainer.COUNT);

    private final String key;
    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;
    private final RedisAsyncCommands<String, String> async;
    private final Consumer<String> consumer = Consumer.from(BenchStreams.GROUP, "raw");
    private final XReadArgs.StreamOffset<String> from;

    LettuceAckReadCalls(BenchRedis redis, String key) {
        this.key = key;
        this.client = RedisClient.create(RedisURI.create(redis.host(), redis.port()));
        this.connection = client.connect(StringCodec.UTF8);
        this.connection.setAutoFlushCommands(false);
        this.async = connection.async();
        this.from = XReadArgs.StreamOffset.lastConsumed(key);
    }

    @Override
    public List<StreamMessage<String, String>> ackThenRead(List<StreamMessage<String, String>> processed) throws Exception {
        return send(processed, BLOCKING).get();
    }

    @Override
    public Future<List<StreamMessage<String, String>>> ackThenReadAhead(List<StreamMessage<String, String>> processed) {
        return send(processed, NON_BLOCKING);
    }

    private RedisFuture<List<StreamMessage<String, String>>> send(List<StreamMessage<String, String>> processed, XReadArgs args) {
        if (!processed.isEmpty()) {
            async.xack(key, BenchStreams.GROUP, processed.stream().map(StreamMessage::getId).toArray(String[]::new));
        }
        RedisFuture<List<StreamMessage<String, String>>> read = async.xreadgroup(consumer, args, from);
        connection.flushCommands();
        return read;
    }

    @Override
    public Map<String, String> fields(StreamMessage<String, String> entry) {
        return entry.getBody();
    }

    @Override
    public void close() {
        connection.close();
        client.shutdown();
    }
}
