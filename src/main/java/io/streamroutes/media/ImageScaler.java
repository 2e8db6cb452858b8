package io.streamroutes.media;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

import com.twelvemonkeys.imageio.metadata.jpeg.JPEGSegment;
import com.twelvemonkeys.imageio.metadata.jpeg.JPEGSegmentUtil;
import io.streamroutes.component.redisstreams.RedisStreamsNonRetryableException;

/**
 * Decodes an original and scales it down to fit a square box, keeping its aspect ratio (never scaling up).
 * JPEG goes through TwelveMonkeys' reader (every segment order and colour model: Exif before JFIF, Adobe APP14,
 * CMYK/YCCK, progressive, broken or missing ICC profiles), PNG/GIF/BMP/TIFF through the JDK's ImageIO, HEIC/HEIF
 * through libheif ({@link HeifDecoder}); docs/scenarios/media.md says why. The image size is read from the header
 * before any pixel is decoded, so a small file that claims huge dimensions (a "decompression bomb") is refused
 * instead of exhausting the heap.
 */
public final class ImageScaler {

    private static final int EXIF_APP1 = 0xFFE1;

    private final long maxPixels;
    private final HeifDecoder heif;

    public ImageScaler(long maxPixels) {
        this(maxPixels, new HeifDecoder(new ExternalTool("vips", java.time.Duration.ofMinutes(2))));
    }

    ImageScaler(long maxPixels, HeifDecoder heif) {
        this.maxPixels = maxPixels;
        this.heif = heif;
    }

    /** A decoded image, its format ({@code jpeg}, {@code png}, {@code heif}, ...) and its EXIF orientation (1 when none). */
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
     * Not an image, an unsupported format, a corrupt file or absurd dimensions are permanent errors, with the
     * decoder's own reason; a failure to open the file (e.g. it vanished) or to run a decoder is an ordinary
     * {@link IOException}, retried.
     */
    public Decoded read(Path file, int box) throws IOException {
        if (HeifHeader.isHeif(head(file))) {
            return heif.read(file, maxPixels);
        }
        // NOFOLLOW_LINKS: the file was checked to be a regular file; never follow a link swapped in since
        try (InputStream in = open(file); ImageInputStream stream = ImageIO.createImageInputStream(in)) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(stream);
            if (!readers.hasNext()) {
                throw new RedisStreamsNonRetryableException("not an image in a supported format (JPEG, PNG, HEIC/HEIF, GIF, BMP, TIFF): "
                                                            + file.getFileName());
            }
            ImageReader reader = readers.next();
            String format = reader.getFormatName().toLowerCase(Locale.ROOT);
            try {
                reader.setInput(stream, true, false);
                BufferedImage image;
                int orientation;
                try {
                    checkPixels(file, reader.getWidth(0), reader.getHeight(0), maxPixels);
                    orientation = "jpeg".equals(format) ? jpegOrientation(file) : ExifOrientation.NORMAL;
                    java.awt.color.ICC_Profile pngProfile = "png".equals(format)
                            ? EmbeddedProfiles.pngProfile(reader.getImageMetadata(0)) : null;
                    ImageReadParam param = reader.getDefaultReadParam();
                    int step = (int) Math.max(1, Math.max(reader.getWidth(0), reader.getHeight(0)) / (2L * box));
                    if (step > 1) {
                        param.setSourceSubsampling(step, step, 0, 0);
                    }
                    image = EmbeddedProfiles.toSrgb(reader.read(0, param), pngProfile);
                } catch (IOException | RuntimeException e) {
                    if (e instanceof RedisStreamsNonRetryableException) {
                        throw e;
                    }
                    // the decoders report broken data as IIOException or assorted runtime exceptions
                    throw new RedisStreamsNonRetryableException("corrupt or unsupported " + format + " image "
                                                                + file.getFileName() + " (" + engine(reader) + "): " + e.getMessage(), e);
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

    /** Refuses an image whose header declares more than {@code maxPixels} (or no pixels at all). */
    static void checkPixels(Path file, long width, long height, long maxPixels) {
        if (width < 1 || height < 1 || width * height > maxPixels) {
            throw new RedisStreamsNonRetryableException("image " + file.getFileName() + " is " + width + "x" + height
                                                        + " pixels, more than the allowed " + maxPixels);
        }
    }

    /** Which decoder read (or failed to read) the file, for the dead-letter reason. */
    private static String engine(ImageReader reader) {
        String name = reader.getClass().getName();
        String library = name.startsWith("com.twelvemonkeys.") ? "TwelveMonkeys ImageIO" : "JDK ImageIO";
        return library + " " + reader.getClass().getSimpleName();
    }

    private static InputStream open(Path file) throws IOException {
        return Channels.newInputStream(Files.newByteChannel(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS));
    }

    private static byte[] head(Path file) throws IOException {
        try (InputStream in = open(file)) {
            return in.readNBytes(64);
        } catch (NoSuchFileException e) {
            throw e;
        }
    }

    /** The orientation from the JPEG's EXIF APP1 segment, wherever it stands among the other segments. */
    private static int jpegOrientation(Path file) throws IOException {
        try (InputStream in = open(file); ImageInputStream stream = ImageIO.createImageInputStream(in)) {
            List<JPEGSegment> segments = JPEGSegmentUtil.readSegments(stream, EXIF_APP1, "Exif");
            for (JPEGSegment segment : segments) {
                try (InputStream data = segment.segmentData()) {
                    int orientation = ExifOrientation.parse(data.readAllBytes());
                    if (orientation != ExifOrientation.NORMAL) {
                        return orientation;
                    }
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
        // halve step by step: one bilinear jump over a large factor would skip pixels and alias. At least one step
        // is drawn, which also turns any decoded colour model (grey, CMYK converted, 16-bit) into 8-bit sRGB
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
