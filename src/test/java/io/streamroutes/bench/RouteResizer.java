package io.streamroutes.bench;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.streamroutes.app.Application;
import io.streamroutes.testsupport.ChildProcesses;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.StreamEntryID;

/**
 * The real {@code routes/media.yaml} in the real application, as a child JVM (so that its peak memory is its own),
 * started with {@code -Dmedia.concurrency=<parallelism>}. Photos go in as {@code action resize} tasks on
 * {@code media:tasks}; a run ends when {@code media:results} holds one result per photo.
 */
final class RouteResizer implements MediaResizer {

    static final String HEAP = "512m";
    /** Tasks per photo set in the warm-up run (JIT), not measured. */
    private static final int WARMUP_ROUNDS = 2;

    private final BenchRedis redis;
    private final Path mediaRoot;
    private final int parallelism;
    private final int quality;
    private Process process;
    private Path log;

    RouteResizer(BenchRedis redis, Path mediaRoot, int parallelism, int quality) {
        this.redis = redis;
        this.mediaRoot = mediaRoot;
        this.parallelism = parallelism;
        this.quality = quality;
    }

    @Override
    public String id() {
        return "media-route";
    }

    @Override
    public String name() {
        return "our route, media.concurrency=" + parallelism;
    }

    @Override
    public void start(List<String> photoIds) throws Exception {
        List<String> command = new ArrayList<>(List.of(javaExecutable(), "-Xmx" + HEAP, "-cp", BacklogCheck.classPath(),
                "-DLOG_LEVEL=WARN"));
        for (Map.Entry<String, String> p : properties().entrySet()) {
            command.add("-D" + p.getKey() + "=" + p.getValue());
        }
        command.add(Application.class.getName());
        try (Jedis jedis = redis.newJedis()) {
            jedis.del("media:tasks", "media:results", "media:dead-letter");
        }
        log = mediaRoot.resolveSibling("route.log"); // kept for a look after a failed run
        process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try (Jedis jedis = redis.newJedis()) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (!groupExists(jedis)) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    throw new IOException("the media route did not start: " + Files.readString(log));
                }
                Thread.sleep(50);
            }
        }
        List<String> warmup = photoIds.subList(0, Math.min(photoIds.size(), WARMUP_ROUNDS * parallelism));
        resizeAll(warmup);
    }

    private Map<String, String> properties() {
        return Map.of(
                "camel.main.routes-include-pattern", "file:routes/media.yaml",
                "camel.component.redis-streams.host", redis.host(),
                "camel.component.redis-streams.port", Integer.toString(redis.port()),
                "media.root", mediaRoot.toAbsolutePath().toString(),
                "media.block-ms", "100",
                "media.jpeg.quality", Integer.toString(quality),
                "media.concurrency", Integer.toString(parallelism));
    }

    private static boolean groupExists(Jedis jedis) {
        try {
            return jedis.xinfoGroups("media:tasks").stream().anyMatch(g -> "media-workers".equals(g.getName()));
        } catch (RuntimeException e) {
            return false; // no stream yet
        }
    }

    @Override
    public void resizeAll(List<String> photoIds) throws Exception {
        try (Jedis jedis = redis.newJedis()) {
            jedis.del("media:results");
            Pipeline pipeline = jedis.pipelined();
            for (String id : photoIds) {
                pipeline.xadd("media:tasks", StreamEntryID.NEW_ENTRY, Map.of("user_id", "bench", "file_id", id, "action", "resize"));
            }
            pipeline.sync();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60 + 5L * photoIds.size());
            while (jedis.xlen("media:results") < photoIds.size()) {
                if (jedis.xlen("media:dead-letter") > 0) {
                    throw new IOException("tasks were dead-lettered: " + jedis.xrange("media:dead-letter", (StreamEntryID) null,
                            (StreamEntryID) null, 1).get(0).getFields());
                }
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    throw new IOException("only " + jedis.xlen("media:results") + " of " + photoIds.size() + " results; log: "
                                          + log);
                }
                Thread.sleep(5);
            }
        }
    }

    @Override
    public Path output(String photoId) {
        return mediaRoot.resolve("derived").resolve(photoId).resolve("resized.jpg");
    }

    @Override
    public double peakRssMb() {
        return process == null ? Double.NaN : PeakRss.ofProcess(process.pid());
    }

    @Override
    public void close() {
        ChildProcesses.stop(process, 30);
    }

    private static String javaExecutable() {
        return System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    }
}
