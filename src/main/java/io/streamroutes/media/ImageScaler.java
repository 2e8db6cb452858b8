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

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

import io.streamroutes.component.redisstreams.RedisStreamsNonRetryableException;

/**
 * Reads an image with the JDK's ImageIO and scales it down to fit a square box, keeping its aspect ratio (never
 * scaling up). The image size is read from the header before any pixel is decoded, so a small file that claims
 * huge dimensions (a "decompression bomb") is rejected instead of exhausting the heap.
 */
public final class ImageScaler {

    private final long maxPixels;

    public ImageScaler(long maxPixels) {
        this.maxPixels = maxPixels;
    }

    /**
     * Decodes the file. Not an image, an unsupported format, a corrupt file or absurd dimensions are permanent
     * errors; a failure to open the file (e.g. it vanished) is an ordinary {@link IOException}.
     */
    public BufferedImage read(Path file) throws IOException {
        // NOFOLLOW_LINKS: the file was checked to be a regular file; never follow a link swapped in since
        try (InputStream in = Channels.newInputStream(Files.newByteChannel(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS));
             ImageInputStream stream = ImageIO.createImageInputStream(in)) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(stream);
            if (!readers.hasNext()) {
                throw new RedisStreamsNonRetryableException("not an image in a supported format: " + file.getFileName());
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(stream, true, true);
                BufferedImage image;
                try {
                    long width = reader.getWidth(0);
                    long height = reader.getHeight(0);
                    if (width < 1 || height < 1 || width * height > maxPixels) {
                        throw new RedisStreamsNonRetryableException("image " + file.getFileName() + " is " + width + "x" + height
                                                                    + " pixels, more than the allowed " + maxPixels);
                    }
                    image = reader.read(0);
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
                return image;
            } finally {
                reader.dispose();
            }
        }
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
