package io.streamroutes.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.streamroutes.component.redisstreams.RedisStreamsComponent;
import io.streamroutes.embedded.EmbeddedRedis;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import redis.clients.jedis.Jedis;

/**
 * The latency cost of durable writes: the route producer's single sends and batches of 100, without and with
 * {@code waitReplicas=1}, against a primary with one replica on this machine (both the same redis-server binary as
 * the main benchmark: PATH, else the embedded 6.2 one; -Dredis.server=/path). Alternates the two variants in rounds
 * so that both see the same machine load, and prints p50/p99 per write and the ratios. Run: ./bench/wait-latency.sh
 * [sends per round, default 2000] [rounds, default 5].
 */
public final class WaitLatencyBench {

    private WaitLatencyBench() {
    }

    public static void main(String[] args) throws Exception {
        int sends = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        try (BenchRedis primary = BenchRedis.start();
             EmbeddedRedis replica = EmbeddedRedis.start(false, "replicaof " + "127.0.0.1 " + primary.port());
             Jedis jedis = new Jedis(primary.host(), primary.port());
             CamelContext context = new DefaultCamelContext()) {
            long deadline = System.currentTimeMillis() + 20_000;
            while (!jedis.info("replication").contains("connected_slaves:1") || !jedis.info("replication").contains("state=online")) {
                if (System.currentTimeMillis() > deadline) {
                    throw new IllegalStateException("replica did not connect");
                }
                Thread.sleep(100);
            }
            RedisStreamsComponent component = new RedisStreamsComponent();
            component.getConfiguration().setHost(primary.host());
            component.getConfiguration().setPort(primary.port());
            context.addComponent("redis-streams", component);
            context.start();
            ProducerTemplate template = context.createProducerTemplate();
            String[] variants = { "redis-streams:bench", "redis-streams:bench?waitReplicas=1&waitTimeout=1s" };
            LatencyRecorder[] single = { new LatencyRecorder(sends * rounds), new LatencyRecorder(sends * rounds) };
            LatencyRecorder[] batch = { new LatencyRecorder(sends / 100 * rounds), new LatencyRecorder(sends / 100 * rounds) };
            List<Map<String, String>> hundred = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                hundred.add(BenchStreams.fields(i));
            }
            for (int v = 0; v < 2; v++) { // warm-up
                for (int i = 0; i < sends; i++) {
                    template.sendBody(variants[v], BenchStreams.fields(i));
                }
            }
            for (int round = 0; round < rounds; round++) {
                for (int v = 0; v < 2; v++) {
                    jedis.del("bench");
                    for (int i = 0; i < sends; i++) {
                        long start = System.nanoTime();
                        template.sendBody(variants[v], BenchStreams.fields(i));
                        single[v].record(System.nanoTime() - start);
                    }
                    for (int i = 0; i < sends / 100; i++) {
                        long start = System.nanoTime();
                        template.sendBody(variants[v], hundred);
                        batch[v].record(System.nanoTime() - start);
                    }
                }
            }
            jedis.del("bench");
            System.out.printf("WAIT latency, %d single sends and %d batches of 100 per variant, %d rounds, %s%n", sends,
                    sends / 100, rounds, primary.description());
            System.out.println("| write | p50 ms | p99 ms |");
            System.out.println("|---|---|---|");
            String[] names = { "single XADD", "single XADD + WAIT 1", "batch of 100", "batch of 100 + WAIT 1" };
            LatencyRecorder[] all = { single[0], single[1], batch[0], batch[1] };
            for (int i = 0; i < 4; i++) {
                System.out.printf("| %s | %.3f | %.3f |%n", names[i], all[i].millis(50), all[i].millis(99));
            }
            System.out.printf("ratio with WAIT / without, p50: single %.2f, batch %.2f%n", single[1].millis(50) / single[0].millis(50),
                    batch[1].millis(50) / batch[0].millis(50));
        }
    }
}
