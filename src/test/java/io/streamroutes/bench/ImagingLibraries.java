package io.streamroutes.bench;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

import io.streamroutes.media.ImageEncoder;
import io.streamroutes.media.ImageScaler;
import net.coobird.thumbnailator.Thumbnails;

/**
 * How the media route's imaging library was chosen: one thread resizes the media benchmark's 4000x3000 photos to fit
 * 1024 (JPEG quality 85) with each candidate JPEG decoder, then the same scaling and encoder, and prints ms per image
 * (decode, scale + encode) and the mean output size; 4 rounds taken in turns, the first not counted. Run with {@code ./bench/imaging-libraries.sh}. TwelveMonkeys'
 * imageio-jpeg (the route's reader) registers ahead of the JDK's; each candidate picks its reader by class.
 */
public final class ImagingLibraries {

    private static final String JDK_READER = "com.sun.imageio.plugins.jpeg.JPEGImageReader";
    private static final String TWELVEMONKEYS_READER = "com.twelvemonkeys.imageio.plugins.jpeg.JPEGImageReader";
    private static final int ROUNDS = 4;

    /** A JPEG decoder followed by our scaling and encoder; or (readerClass null) Thumbnailator doing all three. */
    private record Candidate(String name, String readerClass, int subsampling) {
        boolean thumbnailator() {
            return readerClass == null;
        }
    }

    private ImagingLibraries() {
    }

    public static void main(String[] args) throws Exception {
        Path originals = Benchmark.OUTPUT.resolve("imaging");
        List<String> photos = MediaPhotos.ensure(originals, 8, 4000, 3000);
        List<Candidate> candidates = List.of(
                new Candidate("JDK ImageIO (libjpeg), full decode", JDK_READER, 1),
                new Candidate("TwelveMonkeys imageio-jpeg 3.14.0, full decode [used]", TWELVEMONKEYS_READER, 1),
                new Candidate("JDK ImageIO, decode subsampled by 2 [rejected: aliasing]", JDK_READER, 2),
                new Candidate("Thumbnailator 0.4.20 (decode, scale, encode)", null, 1));
        ImageEncoder encoder = new ImageEncoder(MediaBench.QUALITY);
        System.out.printf(Locale.ROOT, "%d photos 4000x3000 x %d rounds (first round not counted), one thread, fit %d, JPEG q%d%n",
                photos.size(), ROUNDS, MediaBench.BOX, MediaBench.QUALITY);
        System.out.printf(Locale.ROOT, "%-58s %10s %10s %14s %10s%n", "candidate", "ms/image", "decode ms", "scale+enc ms", "out KB");
        List<Candidate> present = new ArrayList<>();
        for (Candidate candidate : candidates) {
            if (!candidate.thumbnailator() && reader(candidate.readerClass()) == null) {
                System.out.printf(Locale.ROOT, "%-58s not on the class path (run bench/imaging-libraries.sh)%n", candidate.name());
            } else {
                present.add(candidate);
            }
        }
        long[][] totals = new long[present.size()][3]; // decode ns, scale+encode ns, output bytes
        int counted = 0;
        // in turns: round k of every candidate before round k+1, so that JIT warm-up and load changes fall on all
        for (int round = 0; round < ROUNDS; round++) {
            for (int c = 0; c < present.size(); c++) {
                for (String photo : photos) {
                    long t0 = System.nanoTime();
                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                    long t1;
                    if (present.get(c).thumbnailator()) {
                        // one call, so its decode cannot be timed apart: all of it counts as scale + encode
                        t1 = t0;
                        Thumbnails.of(originals.resolve(photo).toFile()).size(MediaBench.BOX, MediaBench.BOX).outputFormat("jpg")
                                .outputQuality(MediaBench.QUALITY / 100f).toOutputStream(out);
                    } else {
                        BufferedImage image = decode(originals.resolve(photo), present.get(c));
                        t1 = System.nanoTime();
                        encoder.write(ImageScaler.fit(image, MediaBench.BOX), out);
                    }
                    long t2 = System.nanoTime();
                    if (round > 0) {
                        totals[c][0] += t1 - t0;
                        totals[c][1] += t2 - t1;
                        totals[c][2] += out.size();
                    }
                }
            }
            counted += round > 0 ? photos.size() : 0;
        }
        for (int c = 0; c < present.size(); c++) {
            long[] t = totals[c];
            System.out.printf(Locale.ROOT, "%-58s %10.1f %10.1f %14.1f %10.1f%n", present.get(c).name(), (t[0] + t[1]) / 1e6 / counted,
                    t[0] / 1e6 / counted, t[1] / 1e6 / counted, t[2] / 1024.0 / counted);
        }
    }

    private static BufferedImage decode(Path file, Candidate candidate) throws IOException {
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            ImageReader reader = reader(candidate.readerClass());
            try {
                reader.setInput(in, true, true);
                ImageReadParam param = reader.getDefaultReadParam();
                if (candidate.subsampling() > 1) {
                    param.setSourceSubsampling(candidate.subsampling(), candidate.subsampling(), 0, 0);
                }
                return reader.read(0, param);
            } finally {
                reader.dispose();
            }
        }
    }

    /** A new JPEG reader of the given class, or null when no such plugin is registered. */
    private static ImageReader reader(String className) {
        Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName("jpeg");
        while (readers.hasNext()) {
            ImageReader reader = readers.next();
            if (reader.getClass().getName().equals(className)) {
                return reader;
            }
            reader.dispose();
        }
        return null;
    }
}
