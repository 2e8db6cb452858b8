package io.streamroutes.media;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

import javax.imageio.ImageIO;

import io.streamroutes.component.redisstreams.RedisStreamsNonRetryableException;

/**
 * HEIC/HEIF through libheif, run as Debian's {@code vips} command line ({@code media.vips.command}): the declared size
 * is checked first ({@link HeifHeader}), then vips decodes the file, converts it from its embedded ICC profile to sRGB
 * ({@code icc_transform --embedded}) and hands over an 8-bit PNG without metadata, which ImageIO reads. libheif
 * applies the HEIF rotation and mirroring itself, so the result is upright. The decoder's memory is its process's,
 * bounded by {@code media.max-pixels} (about 3 bytes per pixel plus the compressed file).
 */
final class HeifDecoder {

    private final ExternalTool vips;

    HeifDecoder(ExternalTool vips) {
        this.vips = vips;
    }

    ImageScaler.Decoded read(Path file, long maxPixels) throws IOException {
        HeifHeader.Size size;
        try (SeekableByteChannel channel = Files.newByteChannel(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            size = HeifHeader.largestImage(channel);
        } catch (java.nio.file.NoSuchFileException e) {
            throw e;
        } catch (IOException e) {
            throw new RedisStreamsNonRetryableException("corrupt or unsupported heif image " + file.getFileName()
                                                        + " (header): " + e.getMessage(), e);
        }
        ImageScaler.checkPixels(file, size.width(), size.height(), maxPixels);
        Path png = Files.createTempFile("media-heif-", ".png");
        try {
            try {
                vips.run(List.of("icc_transform", file.toString(), png + "[compression=1,strip]", "srgb", "--embedded"));
            } catch (ExternalTool.Refused e) {
                throw new RedisStreamsNonRetryableException("corrupt or unsupported heif image " + file.getFileName()
                                                            + " (libheif through " + e.getMessage() + ")", e);
            }
            BufferedImage image = ImageIO.read(png.toFile());
            if (image == null) {
                throw new IOException(vips.command() + " wrote no readable PNG for " + file.getFileName());
            }
            return new ImageScaler.Decoded(image, "heif", ExifOrientation.NORMAL);
        } finally {
            Files.deleteIfExists(png);
        }
    }
}
