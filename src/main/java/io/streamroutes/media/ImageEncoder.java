package io.streamroutes.media;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/**
 * Encodes the outputs in {@code media.output-format}: {@code jpeg} (the JDK's libjpeg writer at
 * {@code media.jpeg.quality}; transparent pixels are flattened on white) or {@code webp} (Debian's {@code cwebp} at
 * {@code media.webp.quality}, alpha kept). Only pixels are written, in 8-bit sRGB, never the original's metadata, so
 * EXIF (camera, GPS position), ICC profiles and comments do not reach the outputs.
 */
public final class ImageEncoder {

    public static final String JPEG = "jpeg";
    public static final String WEBP = "webp";

    private final String format;
    private final float jpegQuality;
    private final int webpQuality;
    private final ExternalTool cwebp;

    /** JPEG at the given quality (1-100, as {@code media.jpeg.quality}). */
    public ImageEncoder(int jpegQuality) {
        this(JPEG, jpegQuality, 80, new ExternalTool("cwebp", Duration.ofMinutes(2)));
    }

    ImageEncoder(String format, int jpegQuality, int webpQuality, ExternalTool cwebp) {
        this.format = checkFormat(format);
        this.jpegQuality = quality("media.jpeg.quality", jpegQuality) / 100f;
        this.webpQuality = quality("media.webp.quality", webpQuality);
        this.cwebp = cwebp;
    }

    /** {@code jpeg} or {@code webp}, as {@code media.output-format} names it (and {@code media:results} reports it). */
    public String format() {
        return format;
    }

    /** {@code jpg} or {@code webp}: the output file's extension. */
    public String extension() {
        return JPEG.equals(format) ? "jpg" : "webp";
    }

    public void write(BufferedImage image, OutputStream out) throws IOException {
        if (JPEG.equals(format)) {
            writeJpeg(opaqueRgb(image), out);
        } else {
            writeWebp(image, out);
        }
    }

    private void writeJpeg(BufferedImage image, OutputStream out) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        try (ImageOutputStream stream = ImageIO.createImageOutputStream(out)) {
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(jpegQuality);
            writer.setOutput(stream);
            // no metadata argument: the writer adds only its JFIF header
            writer.write(null, new IIOImage(image, null, null), param);
        } finally {
            writer.dispose();
        }
    }

    /** Through a PAM file (RGB, or RGBA when the image has alpha) that cwebp encodes; both temporary files removed. */
    private void writeWebp(BufferedImage image, OutputStream out) throws IOException {
        Path pam = Files.createTempFile("media-webp-", ".pam");
        Path webp = Files.createTempFile("media-webp-", ".webp");
        try {
            writePam(image, pam);
            try {
                cwebp.run(List.of("-quiet", "-q", Integer.toString(webpQuality), "-metadata", "none", pam.toString(), "-o", webp.toString()));
            } catch (ExternalTool.Refused e) {
                // our own PAM was refused: the machine's cwebp is at fault, not the original
                throw new IOException("WebP encoding failed: " + e.getMessage(), e);
            }
            Files.copy(webp, out);
        } finally {
            Files.deleteIfExists(pam);
            Files.deleteIfExists(webp);
        }
    }

    private static void writePam(BufferedImage image, Path file) throws IOException {
        boolean alpha = image.getColorModel().hasAlpha();
        int w = image.getWidth();
        int h = image.getHeight();
        int depth = alpha ? 4 : 3;
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            out.write(String.format(Locale.ROOT, "P7\nWIDTH %d\nHEIGHT %d\nDEPTH %d\nMAXVAL 255\nTUPLTYPE %s\nENDHDR\n",
                    w, h, depth, alpha ? "RGB_ALPHA" : "RGB").getBytes(StandardCharsets.US_ASCII));
            int[] row = new int[w];
            byte[] bytes = new byte[w * depth];
            for (int y = 0; y < h; y++) {
                image.getRGB(0, y, w, 1, row, 0, w); // sRGB, whatever the image's own colour model
                for (int x = 0, i = 0; x < w; x++) {
                    int p = row[x];
                    bytes[i++] = (byte) (p >> 16);
                    bytes[i++] = (byte) (p >> 8);
                    bytes[i++] = (byte) p;
                    if (alpha) {
                        bytes[i++] = (byte) (p >>> 24);
                    }
                }
                out.write(bytes);
            }
        }
    }

    /** The image as 8-bit sRGB without alpha, transparent parts on white; the image itself when it already is. */
    static BufferedImage opaqueRgb(BufferedImage image) {
        if (image.getType() == BufferedImage.TYPE_INT_RGB) {
            return image;
        }
        BufferedImage rgb = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = rgb.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, image.getWidth(), image.getHeight());
            g.drawImage(image, 0, 0, null);
        } finally {
            g.dispose();
        }
        return rgb;
    }

    private static String checkFormat(String format) {
        String f = format == null ? "" : format.strip().toLowerCase(Locale.ROOT);
        if (!JPEG.equals(f) && !WEBP.equals(f)) {
            throw new IllegalArgumentException("media.output-format must be jpeg or webp, got '" + format + "'");
        }
        return f;
    }

    private static int quality(String key, int quality) {
        if (quality < 1 || quality > 100) {
            throw new IllegalArgumentException(key + " must be between 1 and 100, got " + quality);
        }
        return quality;
    }
}
