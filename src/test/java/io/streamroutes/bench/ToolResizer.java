package io.streamroutes.bench;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;

/**
 * A command-line tool as a contestant: one process per photo, {@code parallelism} processes at a time, each limited
 * to one thread (so that the total is {@code parallelism} threads, as for the route). Peak memory comes from GNU time
 * ({@code /usr/bin/time -f %M}) when installed.
 */
final class ToolResizer implements MediaResizer {

    static final String IMAGEMAGICK = "/usr/bin/convert"; // not /usr/local/bin/convert (a stand-in on some machines)
    static final String VIPSTHUMBNAIL = "/usr/bin/vipsthumbnail";
    private static final String GNU_TIME = "/usr/bin/time";
    private static final String RSS_PREFIX = "BENCH_MAXRSS_KB ";

    private final String id;
    private final String name;
    private final String executable;
    private final Map<String, String> environment;
    private final BiFunction<Path, Path, List<String>> command;
    private final Path originals;
    private final Path outputs;
    private final int parallelism;
    private final AtomicLong peakRssKb = new AtomicLong(-1);

    private ToolResizer(String id, String name, String executable, Map<String, String> environment,
            BiFunction<Path, Path, List<String>> command, Path originals, Path outputs, int parallelism) {
        this.id = id;
        this.name = name;
        this.executable = executable;
        this.environment = environment;
        this.command = command;
        this.originals = originals;
        this.outputs = outputs;
        this.parallelism = parallelism;
    }

    /** {@code convert <in> -resize 1024x1024 -quality 85 -strip <out>.jpg}, one OpenMP thread per process. */
    static ToolResizer imageMagick(Path originals, Path outputs, int box, int quality, int parallelism) {
        return new ToolResizer("media-imagemagick", "ImageMagick convert -resize, " + parallelism + " processes", IMAGEMAGICK,
                Map.of("MAGICK_THREAD_LIMIT", "1"),
                (in, out) -> List.of(IMAGEMAGICK, in.toString(), "-resize", box + "x" + box, "-quality", Integer.toString(quality),
                        "-strip", out.toString()),
                originals, outputs, parallelism);
    }

    /** {@code vipsthumbnail <in> -s 1024 -o <out>.jpg[Q=85,strip]}, one libvips worker thread per process. */
    static ToolResizer vips(Path originals, Path outputs, int box, int quality, int parallelism) {
        return new ToolResizer("media-vips", "libvips vipsthumbnail, " + parallelism + " processes", VIPSTHUMBNAIL,
                Map.of("VIPS_CONCURRENCY", "1"),
                (in, out) -> List.of(VIPSTHUMBNAIL, in.toString(), "-s", Integer.toString(box), "-o",
                        out + "[Q=" + quality + ",strip]"),
                originals, outputs, parallelism);
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String unavailable() {
        return new File(executable).canExecute() ? null : executable + " not installed";
    }

    @Override
    public void start(List<String> photoIds) throws IOException {
        Files.createDirectories(outputs);
    }

    @Override
    public void resizeAll(List<String> photoIds) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(parallelism);
        try {
            List<Future<?>> runs = new ArrayList<>();
            for (String photo : photoIds) {
                runs.add(pool.submit(() -> {
                    resize(photo);
                    return null;
                }));
            }
            for (Future<?> run : runs) {
                run.get();
            }
        } finally {
            pool.shutdownNow();
            pool.awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    private void resize(String photo) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        boolean timed = new File(GNU_TIME).canExecute();
        if (timed) {
            cmd.addAll(List.of(GNU_TIME, "-f", RSS_PREFIX + "%M"));
        }
        cmd.addAll(command.apply(originals.resolve(photo), output(photo)));
        ProcessBuilder builder = new ProcessBuilder(cmd).redirectErrorStream(true);
        builder.environment().putAll(environment);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IOException(String.join(" ", cmd) + " failed: " + output.strip());
        }
        for (String line : output.split("\n")) {
            if (line.startsWith(RSS_PREFIX)) {
                peakRssKb.accumulateAndGet(Long.parseLong(line.substring(RSS_PREFIX.length()).strip()), Math::max);
            }
        }
    }

    @Override
    public Path output(String photoId) {
        return outputs.resolve(photoId + ".jpg");
    }

    @Override
    public double peakRssMb() {
        long kb = peakRssKb.get();
        return kb < 0 ? Double.NaN : kb / 1024.0 * parallelism;
    }

    @Override
    public void close() {
    }
}
