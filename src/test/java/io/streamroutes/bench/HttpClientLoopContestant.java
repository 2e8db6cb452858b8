package io.streamroutes.bench;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPool;
import redis.clients.jedis.JedisPoolConfig;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.params.XAddParams;
import redis.clients.jedis.params.XReadGroupParams;
import redis.clients.jedis.resps.StreamEntry;

/**
 * The ceiling for routes/integration.yaml: what a developer would write by hand with an {@link ExecutorService} of
 * {@code concurrency} threads and {@link HttpClient}. One reader thread reads as many tasks as there are free workers
 * ({@code XREADGROUP COUNT <free>}); each worker POSTs the same form with the same headers as the route
 * ({@code Idempotency-Key: <entry id>}, form content type) and, on a 2xx answer, adds the same
 * {@code integration:results} entry and acknowledges the task in one pipelined round trip. A failed call leaves the
 * task pending (and is reported as a problem: the stand-in never fails).
 */
final class HttpClientLoopContestant implements IoContestant {

    private static final int BLOCK_MS = 100;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final BenchRedis redis;
    private final URI charges;
    private final int concurrency;
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private volatile boolean running = true;
    private HttpClient http;
    private JedisPool pool;
    private ExecutorService workers;
    private Semaphore freeWorkers;
    private Thread reader;

    HttpClientLoopContestant(BenchRedis redis, String providerUrl, int concurrency) {
        this.redis = redis;
        this.charges = URI.create(providerUrl + SlowProvider.PATH);
        this.concurrency = concurrency;
    }

    @Override
    public String id() {
        return "io-loop-c" + concurrency;
    }

    @Override
    public String name() {
        return "ExecutorService + HttpClient, " + concurrency + " threads";
    }

    @Override
    public int concurrency() {
        return concurrency;
    }

    @Override
    public void start() {
        // HTTP/1.1 like camel-http (Apache HttpClient 5 classic); the JDK client pools connections without a limit
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();
        JedisPoolConfig config = new JedisPoolConfig();
        config.setMaxTotal(concurrency);
        pool = new JedisPool(config, redis.host(), redis.port());
        workers = Executors.newFixedThreadPool(concurrency);
        freeWorkers = new Semaphore(concurrency);
        reader = new Thread(this::readLoop, "io-loop-reader");
        reader.start();
    }

    private void readLoop() {
        XReadGroupParams params = XReadGroupParams.xReadGroupParams().block(BLOCK_MS);
        Map<String, StreamEntryID> from = Map.of(IoTasks.TASKS, StreamEntryID.XREADGROUP_UNDELIVERED_ENTRY);
        try (Jedis jedis = redis.newJedis()) {
            while (running) {
                if (!freeWorkers.tryAcquire(BLOCK_MS, TimeUnit.MILLISECONDS)) {
                    continue;
                }
                int free = 1 + freeWorkers.drainPermits();
                List<Map.Entry<String, List<StreamEntry>>> read = jedis.xreadGroup(IoTasks.GROUP, "bench-loop", params.count(free), from);
                List<StreamEntry> entries = read == null || read.isEmpty() ? List.of() : read.get(0).getValue();
                freeWorkers.release(free - entries.size());
                for (StreamEntry entry : entries) {
                    workers.execute(() -> {
                        try {
                            work(entry);
                        } catch (Exception e) {
                            failure.compareAndSet(null, e);
                        } finally {
                            freeWorkers.release();
                        }
                    });
                }
            }
        } catch (Exception e) {
            failure.compareAndSet(null, e);
        }
    }

    private void work(StreamEntry entry) throws Exception {
        Map<String, String> task = entry.getFields();
        String form = "amount=" + Long.parseLong(task.get("amount")) + "&currency=usd&customer="
                      + URLEncoder.encode(task.get("user_id"), StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(charges)
                .timeout(Duration.ofSeconds(10))
                .header("Idempotency-Key", entry.getID().toString())
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException("provider answered " + response.statusCode() + " for " + entry.getID());
        }
        Map<String, String> result = new LinkedHashMap<>();
        result.put("source_id", entry.getID().toString());
        result.put("provider", task.get("provider"));
        result.put("action", task.get("action"));
        result.put("status", Integer.toString(response.statusCode()));
        JsonNode id = JSON.readTree(response.body()).get("id");
        if (id != null && id.isValueNode()) {
            result.put("reply_id", id.asText());
        }
        try (Jedis jedis = pool.getResource()) {
            Pipeline pipeline = jedis.pipelined();
            pipeline.xadd(IoTasks.RESULTS, XAddParams.xAddParams(), result);
            pipeline.xack(IoTasks.TASKS, IoTasks.GROUP, entry.getID());
            pipeline.sync();
        }
    }

    @Override
    public void close() throws Exception {
        running = false;
        if (reader != null) {
            reader.join(5000);
        }
        if (workers != null) {
            workers.shutdown();
            workers.awaitTermination(15, TimeUnit.SECONDS);
        }
        if (pool != null) {
            pool.close();
        }
        Exception e = failure.get();
        if (e != null) {
            throw e;
        }
    }
}
