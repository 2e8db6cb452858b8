package io.streamroutes.bench;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import redis.clients.jedis.Jedis;

/**
 * The backlog check: our route (concurrentConsumers=1) drains a large backlog in a child JVM with a small heap
 * ({@code -Xmx256m}). The child prints one {@code BACKLOG ...} line and exits 0 when every entry was processed and
 * acknowledged.
 */
final class BacklogCheck {

    private static final String RESULT_PREFIX = "BACKLOG ";

    /**
     * @param complete every entry processed and nothing pending, within the time limit, without OutOfMemoryError
     */
    record Result(int entries, String heap, boolean complete, double entriesPerSecond, double peakHeapMb, String output) {
    }

    private BacklogCheck() {
    }

    /** Child JVM entry point: {@code host port key entries}. */
    public static void main(String[] args) throws Exception {
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        String key = args[2];
        int entries = Integer.parseInt(args[3]);
        ResourceMeter heap = new ResourceMeter();
        heap.reset();
        EntrySink sink = EntrySink.counting(entries);
        long pending;
        double seconds;
        try (RouteDrainer route = new RouteDrainer(host, port, 1); Jedis jedis = new Jedis(host, port)) {
            route.prepare(key, sink);
            long start = System.nanoTime();
            route.start();
            long deadline = start + TimeUnit.SECONDS.toNanos(120);
            sink.awaitAll(deadline);
            while ((pending = jedis.xpending(key, BenchStreams.GROUP).getTotal()) > 0 && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            seconds = (System.nanoTime() - start) / 1e9;
        }
        boolean complete = sink.processed() >= entries && pending == 0;
        System.out.printf(java.util.Locale.ROOT, "%sprocessed=%d pending=%d seconds=%.3f peakHeapMb=%.1f maxHeapMb=%.0f%n",
                RESULT_PREFIX, sink.processed(), pending, seconds, heap.peakHeapMb(),
                Runtime.getRuntime().maxMemory() / (1024.0 * 1024.0));
        System.exit(complete ? 0 : 1);
    }

    /** Runs the check in a child JVM on a fresh copy of {@code entries} entries. */
    static Result run(BenchRedis redis, BenchStreams streams, int entries, String heap) throws Exception {
        String key = streams.freshCopy("backlog", entries);
        List<String> command = new ArrayList<>(List.of(javaExecutable(), "-Xmx" + heap, "-cp", classPath(),
                "-DLOG_LEVEL=WARN", BacklogCheck.class.getName(), redis.host(),
                Integer.toString(redis.port()), key, Integer.toString(entries)));
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        StringBuilder output = new StringBuilder();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                output.append(line).append('\n');
            }
            boolean exited = child.waitFor(150, TimeUnit.SECONDS);
            if (!exited) {
                child.destroyForcibly();
            }
            String result = resultLine(output.toString());
            boolean complete = exited && child.exitValue() == 0 && result != null;
            return new Result(entries, heap, complete, complete ? entries / number(result, "seconds") : 0,
                    result == null ? Double.NaN : number(result, "peakHeapMb"), output.toString());
        } finally {
            child.destroyForcibly();
            streams.delete(key);
        }
    }

    private static String resultLine(String output) {
        for (String line : output.split("\n")) {
            if (line.startsWith(RESULT_PREFIX)) {
                return line;
            }
        }
        return null;
    }

    private static double number(String line, String name) {
        for (String part : line.substring(RESULT_PREFIX.length()).split(" ")) {
            if (part.startsWith(name + "=")) {
                return Double.parseDouble(part.substring(name.length() + 1));
            }
        }
        return Double.NaN;
    }

    private static String javaExecutable() {
        return System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    }

    /** Surefire runs tests from a manifest-only jar; its property then holds the real test class path. */
    static String classPath() {
        String surefire = System.getProperty("surefire.test.class.path");
        return surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
    }
}
