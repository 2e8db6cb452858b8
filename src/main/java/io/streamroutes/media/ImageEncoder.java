package io.streamroutes.media;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/**
 * Encodes an output image in the format that follows the original: JPEG for a JPEG original (at the configured
 * quality), PNG for everything else (lossless: PNG, GIF, BMP, TIFF originals). Only pixels are written, never the
 * original's metadata, so EXIF (camera, GPS position) and comments do not reach the outputs.
 */
public final class ImageEncoder {

    private final float jpegQuality;

    /** @param jpegQuality 1-100, as {@code media.jpeg.quality} */
    public ImageEncoder(int jpegQuality) {
        if (jpegQuality < 1 || jpegQuality > 100) {
            throw new IllegalArgumentException("media.jpeg.quality must be between 1 and 100, got " + jpegQuality);
        }
        this.jpegQuality = jpegQuality / 100f;
    }

    /** {@code jpg} or {@code png}: the output format for an original of the given ImageIO format name. */
    public static String extensionFor(String format) {
        return "jpeg".equals(format) ? "jpg" : "png";
    }

    public void write(BufferedImage image, String extension, OutputStream out) throws IOException {
        if ("png".equals(extension)) {
            if (!ImageIO.write(image, "png", out)) {
                throw new IOException("no PNG writer available");
            }
            return;
        }
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
}
