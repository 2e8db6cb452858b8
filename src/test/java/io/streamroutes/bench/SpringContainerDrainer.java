package io.streamroutes.bench;

import java.time.Duration;

import io.streamroutes.component.redisstreams.RedisStreamsComponent;
import io.streamroutes.component.redisstreams.RedisStreamsConfiguration;
import org.springframework.data.redis.connection.jedis.JedisConnectionFactory;
import org.springframework.data.redis.connection.stream.Consumer;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.connection.stream.ReadOffset;
import org.springframework.data.redis.connection.stream.StreamOffset;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.stream.StreamMessageListenerContainer;
import org.springframework.data.redis.stream.StreamMessageListenerContainer.StreamMessageListenerContainerOptions;
import org.springframework.data.redis.stream.Subscription;

/**
 * Spring Data Redis' {@link StreamMessageListenerContainer} as its documentation shows it: a listener that processes
 * the record and acknowledges it ({@code XACK} per record), batches of 100, over the same pooled Jedis factory the
 * component uses.
 */
final class SpringContainerDrainer implements Drainer {

    private final BenchRedis redis;
    private JedisConnectionFactory factory;
    private StreamMessageListenerContainer<String, MapRecord<String, String, String>> container;
    private Subscription subscription;
    private volatile boolean stopping;
    private volatile RuntimeException failure;

    SpringContainerDrainer(BenchRedis redis) {
        this.redis = redis;
    }

    @Override
    public int runScale() {
        return 1; // about 24 000 entries/s: its runs last seconds at the base size already
    }

    @Override
    public String id() {
        return "spring-container";
    }

    @Override
    public String name() {
        return "Spring StreamMessageListenerContainer";
    }

    @Override
    public void prepare(String key, EntrySink sink) {
        RedisStreamsConfiguration config = new RedisStreamsConfiguration();
        config.setHost(redis.host());
        config.setPort(redis.port());
        factory = RedisStreamsComponent.createFactory(config);
        StringRedisTemplate template = new StringRedisTemplate(factory);
        StreamMessageListenerContainerOptions<String, MapRecord<String, String, String>> options =
                StreamMessageListenerContainerOptions.builder()
                        .batchSize(RawJedisDrainer.COUNT)
                        .pollTimeout(Duration.ofMillis(100))
                        .errorHandler(this::failed)
                        .build();
        container = StreamMessageListenerContainer.create(factory, options);
        subscription = container.receive(Consumer.from(BenchStreams.GROUP, "spring"), StreamOffset.create(key, ReadOffset.lastConsumed()),
                record -> {
                    sink.accept(record.getValue());
                    template.opsForStream().acknowledge(BenchStreams.GROUP, record);
                });
    }

    private void failed(Throwable e) {
        if (!stopping) { // a read cut by stop() is not a failure
            failure = e instanceof RuntimeException r ? r : new IllegalStateException(e);
        }
    }

    @Override
    public void start() {
        container.start();
    }

    @Override
    public void close() throws InterruptedException {
        stopping = true;
        if (container != null) {
            container.stop();
            // stop() does not wait for the poll task; let its last read end before the connections go away
            long deadline = System.currentTimeMillis() + 5000;
            while (subscription.isActive() && System.currentTimeMillis() < deadline) {
                Thread.sleep(5);
            }
        }
        if (factory != null) {
            factory.destroy();
        }
        if (failure != null) {
            throw failure;
        }
    }
}
