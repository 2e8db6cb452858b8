package io.streamroutes.media;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import javax.imageio.ImageIO;

/** Photo-like JPEGs for tests: noisy content (so that quality matters), a red top-left corner, optional EXIF. */
final class TestPhotos {

    private TestPhotos() {
    }

    /** Noise over a gradient, with the top-left tenth painted red to see where the stored corner ends up. */
    static BufferedImage marked(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Random random = new Random(42);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int n = random.nextInt(40);
                image.setRGB(x, y, new Color(40 + n, (x * 150 / width) + n, (y * 150 / height) + n).getRGB());
            }
        }
        Graphics2D g = image.createGraphics();
        g.setColor(Color.RED);
        g.fillRect(0, 0, width / 10, height / 10);
        g.dispose();
        return image;
    }

    /** Written by the route's own encoder: pixels and a JFIF header only. */
    static byte[] jpeg(BufferedImage image, int quality) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new ImageEncoder(quality).write(image, bytes);
        return bytes.toByteArray();
    }

    /**
     * The JPEG with an EXIF APP1 segment inserted after its JFIF header: IFD0 with the orientation and a pointer to a
     * GPS IFD holding a latitude reference, as a phone camera writes it.
     */
    static byte[] withExif(byte[] jpeg, int orientation) {
        ByteBuffer tiff = ByteBuffer.allocate(8 + 30 + 18);
        tiff.put(new byte[] {'M', 'M'}).putShort((short) 42).putInt(8);
        tiff.putShort((short) 2);
        tiff.putShort((short) 0x0112).putShort((short) 3).putInt(1).putShort((short) orientation).putShort((short) 0);
        tiff.putShort((short) 0x8825).putShort((short) 4).putInt(1).putInt(38);
        tiff.putInt(0);
        tiff.putShort((short) 1);
        tiff.putShort((short) 0x0001).putShort((short) 2).putInt(2).put(new byte[] {'N', 0, 0, 0});
        tiff.putInt(0);
        byte[] payload = concat("Exif\0\0".getBytes(StandardCharsets.US_ASCII), tiff.array());
        int app0End = 2 + 2 + (((jpeg[4] & 0xff) << 8) | (jpeg[5] & 0xff));
        ByteBuffer out = ByteBuffer.allocate(jpeg.length + 4 + payload.length);
        out.put(jpeg, 0, app0End);
        out.put((byte) 0xFF).put((byte) 0xE1).putShort((short) (payload.length + 2)).put(payload);
        out.put(jpeg, app0End, jpeg.length - app0End);
        return out.array();
    }

    static boolean isJpeg(Path file) throws IOException {
        byte[] head = Files.readAllBytes(file);
        return head.length > 3 && (head[0] & 0xff) == 0xFF && (head[1] & 0xff) == 0xD8;
    }

    static boolean hasExif(Path file) throws IOException {
        return new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1).contains("Exif\0\0");
    }

    /** Whether the pixel at the given fractions of width and height is clearly red. */
    static boolean isRed(Path file, double fx, double fy) throws IOException {
        BufferedImage image = ImageIO.read(file.toFile());
        Color c = new Color(image.getRGB((int) (fx * (image.getWidth() - 1)), (int) (fy * (image.getHeight() - 1))));
        return c.getRed() > 180 && c.getGreen() < 80 && c.getBlue() < 80;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }
}
