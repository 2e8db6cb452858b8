package io.streamroutes.bench;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import io.streamroutes.media.ImageEncoder;


/**
 * The media benchmark's input: photo-like JPEGs (noise over gradients, overlapping translucent shapes; quality 92,
 * about 2.7 MB at 4000x3000), written as {@code originals/p001...} (the route's file ids have no extension; both tools
 * recognise JPEG by its content). Eight distinct pictures are drawn, the rest are copies: every file is still decoded
 * in full by every contestant. Existing files of the right size are reused between runs.
 */
final class MediaPhotos {

    private static final int DISTINCT = 8;

    private MediaPhotos() {
    }

    static List<String> ensure(Path originals, int count, int width, int height) throws IOException {
        Files.createDirectories(originals);
        Path stamp = originals.resolve(".generated");
        String expected = count + " " + width + "x" + height;
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            ids.add(String.format(Locale.ROOT, "p%03d", i));
        }
        if (Files.exists(stamp) && Files.readString(stamp).equals(expected)) {
            return ids;
        }
        for (int i = 0; i < count; i++) {
            Path target = originals.resolve(ids.get(i));
            if (i < DISTINCT) {
                write(draw(width, height, i), target);
            } else {
                Files.copy(originals.resolve(ids.get(i % DISTINCT)), target, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Files.writeString(stamp, expected);
        return ids;
    }

    private static BufferedImage draw(int width, int height, long seed) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Random random = new Random(seed);
        int[] pixels = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int n = random.nextInt(24);
                int r = (x * 255 / width + n) & 255;
                int g = (y * 255 / height + n) & 255;
                int b = ((x + y) * 255 / (width + height) + (int) seed * 20) & 255;
                pixels[y * width + x] = (r << 16) | (g << 8) | b;
            }
        }
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        int size = Math.max(width, height) / 6;
        for (int i = 0; i < 300; i++) {
            g.setColor(new Color(random.nextInt(256), random.nextInt(256), random.nextInt(256), 120));
            g.fillOval(random.nextInt(width), random.nextInt(height), 20 + random.nextInt(size), 20 + random.nextInt(size));
        }
        g.dispose();
        return image;
    }

    private static void write(BufferedImage image, Path target) throws IOException {
        Path temp = target.resolveSibling(target.getFileName() + ".part");
        try (OutputStream out = Files.newOutputStream(temp)) {
            new ImageEncoder(92).write(image, out);
        }
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
