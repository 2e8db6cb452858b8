package io.streamroutes.media;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.Locale;

import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageInputStream;

import org.w3c.dom.NodeList;

import io.streamroutes.component.redisstreams.RedisStreamsNonRetryableException;

/**
 * Reads an image with the JDK's ImageIO (its native libjpeg decoder for JPEG; the choice and its measurements are in
 * docs/media.md) and scales it down to fit a square box, keeping its aspect ratio (never
 * scaling up). The image size is read from the header before any pixel is decoded, so a small file that claims
 * huge dimensions (a "decompression bomb") is rejected instead of exhausting the heap.
 */
public final class ImageScaler {

    private static final String JPEG_METADATA = "javax_imageio_jpeg_image_1.0";

    private final long maxPixels;

    public ImageScaler(long maxPixels) {
        this.maxPixels = maxPixels;
    }

    /** A decoded image, its format ({@code jpeg}, {@code png}, ...) and its EXIF orientation (1 when none). */
    public record Decoded(BufferedImage image, String format, int orientation) {
    }

    /** The whole image at full resolution. */
    public Decoded read(Path file) throws IOException {
        return read(file, Integer.MAX_VALUE);
    }

    /**
     * Decodes the file for an output whose longest side is {@code box}: when the image is at least four times larger,
     * only every n-th pixel is kept while decoding (ImageIO source subsampling), leaving at least twice the box for the
     * smoothing steps of {@link #fit}; a 4000x3000 photo for a 256 preview then costs a fraction of the memory.
     * Not an image, an unsupported format, a corrupt file or absurd dimensions are permanent errors; a failure to
     * open the file (e.g. it vanished) is an ordinary {@link IOException}.
     */
    public Decoded read(Path file, int box) throws IOException {
        // NOFOLLOW_LINKS: the file was checked to be a regular file; never follow a link swapped in since
        try (InputStream in = Channels.newInputStream(Files.newByteChannel(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS));
             ImageInputStream stream = ImageIO.createImageInputStream(in)) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(stream);
            if (!readers.hasNext()) {
                throw new RedisStreamsNonRetryableException("not an image in a supported format: " + file.getFileName());
            }
            ImageReader reader = readers.next();
            String format = reader.getFormatName().toLowerCase(Locale.ROOT);
            try {
                reader.setInput(stream, true, false);
                BufferedImage image;
                int orientation;
                try {
                    long width = reader.getWidth(0);
                    long height = reader.getHeight(0);
                    if (width < 1 || height < 1 || width * height > maxPixels) {
                        throw new RedisStreamsNonRetryableException("image " + file.getFileName() + " is " + width + "x" + height
                                                                    + " pixels, more than the allowed " + maxPixels);
                    }
                    orientation = "jpeg".equals(format) ? jpegOrientation(reader) : ExifOrientation.NORMAL;
                    ImageReadParam param = reader.getDefaultReadParam();
                    int step = (int) Math.max(1, Math.max(width, height) / (2L * box));
                    if (step > 1) {
                        param.setSourceSubsampling(step, step, 0, 0);
                    }
                    image = reader.read(0, param);
                } catch (IOException | RuntimeException e) {
                    if (e instanceof RedisStreamsNonRetryableException) {
                        throw e;
                    }
                    // the decoders report broken data as IIOException or assorted runtime exceptions
                    throw new RedisStreamsNonRetryableException("corrupt or unsupported " + reader.getFormatName() + " image "
                                                                + file.getFileName() + ": " + e.getMessage(), e);
                }
                if (image == null) {
                    throw new RedisStreamsNonRetryableException("no image data in " + file.getFileName());
                }
                return new Decoded(image, format, orientation);
            } finally {
                reader.dispose();
            }
        }
    }

    /** The orientation from the JPEG's EXIF APP1 segment (marker 0xE1), read from ImageIO's native metadata tree. */
    private static int jpegOrientation(ImageReader reader) throws IOException {
        IIOMetadata metadata = reader.getImageMetadata(0);
        if (metadata == null || !JPEG_METADATA.equals(metadata.getNativeMetadataFormatName())) {
            return ExifOrientation.NORMAL;
        }
        NodeList unknown = ((IIOMetadataNode) metadata.getAsTree(JPEG_METADATA)).getElementsByTagName("unknown");
        for (int i = 0; i < unknown.getLength(); i++) {
            IIOMetadataNode marker = (IIOMetadataNode) unknown.item(i);
            if ("225".equals(marker.getAttribute("MarkerTag")) && marker.getUserObject() instanceof byte[] data) {
                int orientation = ExifOrientation.parse(data);
                if (orientation != ExifOrientation.NORMAL) {
                    return orientation;
                }
            }
        }
        return ExifOrientation.NORMAL;
    }

    /** The image scaled so that its longest side is at most {@code box}, aspect kept; the image itself when it fits. */
    public static BufferedImage fit(BufferedImage source, int box) {
        int w = source.getWidth();
        int h = source.getHeight();
        int longest = Math.max(w, h);
        int targetW = w;
        int targetH = h;
        if (longest > box) {
            double scale = (double) box / longest;
            targetW = Math.max(1, (int) Math.round(w * scale));
            targetH = Math.max(1, (int) Math.round(h * scale));
        }
        boolean alpha = source.getColorModel().hasAlpha();
        int type = alpha ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB;
        BufferedImage current = source;
        int cw = w;
        int ch = h;
        // halve step by step: one bilinear jump over a large factor would skip pixels and alias
        do {
            cw = Math.max(targetW, cw / 2 >= targetW ? cw / 2 : targetW);
            ch = Math.max(targetH, ch / 2 >= targetH ? ch / 2 : targetH);
            current = draw(current, cw, ch, type);
        } while (cw != targetW || ch != targetH);
        return current;
    }

    private static BufferedImage draw(BufferedImage source, int width, int height, int type) {
        BufferedImage target = new BufferedImage(width, height, type);
        Graphics2D g = target.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.drawImage(source, 0, 0, width, height, null);
        } finally {
            g.dispose();
        }
        return target;
    }
}
