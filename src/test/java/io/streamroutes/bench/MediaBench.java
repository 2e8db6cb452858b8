package io.streamroutes.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * The media benchmark: the same generated photos resized to fit {@value #BOX} px at JPEG quality {@value #QUALITY} by
 * our route, by ImageMagick and by libvips, each with as many workers as cores, in one run, the repetitions taken in
 * turns. images/s = photos / time from submitting the first until the last output exists; median of the repetitions.
 * Every output is checked to exist and have the expected size.
 */
final class MediaBench {

    static final int BOX = 1024;
    static final int QUALITY = 85;

    private MediaBench() {
    }

    static List<MediaResult> run(BenchRedis redis, BenchOptions options, Path outputDir, PrintStream out) throws Exception {
        Path dir = outputDir.resolve("media").toAbsolutePath(); // the tools resolve relative output paths differently
        int cores = Runtime.getRuntime().availableProcessors();
        out.printf(Locale.ROOT, "media: %d photos of %dx%d -> fit %d, JPEG quality %d, %d workers each%n", options.mediaPhotos(),
                options.mediaWidth(), options.mediaHeight(), BOX, QUALITY, cores);
        List<String> photos = MediaPhotos.ensure(dir.resolve("route/originals"), options.mediaPhotos(), options.mediaWidth(),
                options.mediaHeight());
        Path originals = dir.resolve("route/originals");
        List<MediaResizer> contestants = List.of(new RouteResizer(redis, dir.resolve("route"), cores, QUALITY),
                ToolResizer.imageMagick(originals, dir.resolve("imagemagick"), BOX, QUALITY, cores),
                ToolResizer.vips(originals, dir.resolve("vips"), BOX, QUALITY, cores));
        String expectedSize = fit(options.mediaWidth(), options.mediaHeight());
        List<Measured> measured = new ArrayList<>();
        for (MediaResizer contestant : contestants) {
            if (!options.runs(contestant.id())) {
                continue;
            }
            if (contestant.unavailable() != null) {
                out.println("  SKIPPED " + contestant.name() + ": " + contestant.unavailable());
                continue;
            }
            measured.add(new Measured(contestant));
        }
        try {
            for (Measured m : measured) {
                m.attempt(() -> m.contestant.start(photos));
            }
            // round-robin: run k of every contestant before run k+1 of any, so that a change in the machine's load
            // (other processes) falls on all of them rather than on whoever ran during it
            for (int run = 0; run < options.repetitions(); run++) {
                for (Measured m : measured) {
                    m.attempt(() -> m.run(photos, expectedSize));
                }
            }
            List<MediaResult> results = new ArrayList<>();
            for (Measured m : measured) {
                m.attempt(() -> m.meanBytes = meanSize(m.contestant, photos));
                MediaResult result = new MediaResult(m.contestant.id(), m.contestant.name(), cores, m.rates, m.contestant.peakRssMb(),
                        m.meanBytes, expectedSize, m.problem == null, m.problem == null ? "" : m.problem);
                out.printf(Locale.ROOT, "  %-62s %8.2f images/s  peak RSS %.0f MB%s%n", result.name(), result.median(),
                        result.peakRssMb(), result.complete() ? "" : "  INCOMPLETE: " + result.problem());
                results.add(result);
            }
            return results;
        } finally {
            measured.forEach(m -> m.contestant.close());
        }
    }

    /** One contestant's runs so far; after its first problem it is not run again. */
    private static final class Measured {

        interface Step {
            void run() throws Exception;
        }

        final MediaResizer contestant;
        final List<Double> rates = new ArrayList<>();
        double meanBytes = Double.NaN;
        String problem;

        Measured(MediaResizer contestant) {
            this.contestant = contestant;
        }

        void attempt(Step step) {
            if (problem != null) {
                return;
            }
            try {
                step.run();
            } catch (Exception e) {
                problem = e.toString();
            }
        }

        void run(List<String> photos, String expectedSize) throws Exception {
            for (String photo : photos) {
                Files.deleteIfExists(contestant.output(photo));
            }
            long start = System.nanoTime();
            contestant.resizeAll(photos);
            rates.add(photos.size() / ((System.nanoTime() - start) / 1e9));
            problem = checkOutputs(contestant, photos, expectedSize);
        }
    }

    private static String checkOutputs(MediaResizer contestant, List<String> photos, String expectedSize) throws IOException {
        for (String photo : photos) {
            Path file = contestant.output(photo);
            if (!Files.isRegularFile(file)) {
                return "no output " + file;
            }
            String size = size(file);
            if (!expectedSize.equals(size)) {
                return file + " is " + size + ", expected " + expectedSize;
            }
        }
        return null;
    }

    private static double meanSize(MediaResizer contestant, List<String> photos) throws IOException {
        long total = 0;
        for (String photo : photos) {
            total += Files.size(contestant.output(photo));
        }
        return (double) total / photos.size();
    }

    /** width x height from the JPEG header, without decoding. */
    private static String size(Path file) throws IOException {
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                return "not an image";
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                return reader.getWidth(0) + "x" + reader.getHeight(0);
            } finally {
                reader.dispose();
            }
        }
    }

    private static String fit(int width, int height) {
        double scale = Math.min(1.0, (double) BOX / Math.max(width, height));
        return Math.round(width * scale) + "x" + Math.round(height * scale);
    }
}
