package io.streamroutes.media;

import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The EXIF orientation tag (0x0112, values 1-8) of a JPEG's APP1 segment, and the transform that turns the stored
 * pixels upright. Only IFD0 is read; anything malformed counts as "no orientation" (1): a bad tag must not make an
 * image unreadable.
 */
final class ExifOrientation {

    static final int NORMAL = 1;
    private static final int TAG_ORIENTATION = 0x0112;
    private static final byte[] EXIF_HEADER = {'E', 'x', 'i', 'f', 0, 0};

    private ExifOrientation() {
    }

    /** The orientation in an APP1 payload (starting with {@code Exif\0\0}); 1 when absent or unreadable. */
    static int parse(byte[] app1) {
        if (app1 == null || app1.length < EXIF_HEADER.length + 8) {
            return NORMAL;
        }
        for (int i = 0; i < EXIF_HEADER.length; i++) {
            if (app1[i] != EXIF_HEADER[i]) {
                return NORMAL;
            }
        }
        try {
            ByteBuffer tiff = ByteBuffer.wrap(app1, EXIF_HEADER.length, app1.length - EXIF_HEADER.length).slice();
            if (tiff.get(0) == 'I' && tiff.get(1) == 'I') {
                tiff.order(ByteOrder.LITTLE_ENDIAN);
            } else if (tiff.get(0) != 'M' || tiff.get(1) != 'M') {
                return NORMAL;
            }
            int ifd = tiff.getInt(4);
            int entries = Short.toUnsignedInt(tiff.getShort(ifd));
            for (int i = 0; i < entries; i++) {
                int entry = ifd + 2 + 12 * i;
                if (Short.toUnsignedInt(tiff.getShort(entry)) == TAG_ORIENTATION) {
                    int value = Short.toUnsignedInt(tiff.getShort(entry + 8)); // type SHORT, count 1: value inline
                    return value >= 1 && value <= 8 ? value : NORMAL;
                }
            }
        } catch (IndexOutOfBoundsException e) {
            // truncated or lying offsets
        }
        return NORMAL;
    }

    /**
     * The image turned upright for the given orientation (the image itself for 1). Done pixel by pixel on the already
     * scaled image: an exact mapping for each of the eight cases, no resampling.
     */
    static BufferedImage apply(BufferedImage image, int orientation) {
        if (orientation <= NORMAL || orientation > 8) {
            return image;
        }
        int w = image.getWidth();
        int h = image.getHeight();
        boolean swap = orientation >= 5;
        int tw = swap ? h : w;
        int type = image.getColorModel().hasAlpha() ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB;
        BufferedImage target = new BufferedImage(tw, swap ? w : h, type);
        int[] src = image.getRGB(0, 0, w, h, null, 0, w);
        int[] dst = new int[src.length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int tx;
                int ty;
                switch (orientation) {
                    case 2 -> { tx = w - 1 - x; ty = y; }
                    case 3 -> { tx = w - 1 - x; ty = h - 1 - y; }
                    case 4 -> { tx = x; ty = h - 1 - y; }
                    case 5 -> { tx = y; ty = x; }
                    case 6 -> { tx = h - 1 - y; ty = x; }
                    case 7 -> { tx = h - 1 - y; ty = w - 1 - x; }
                    default -> { tx = y; ty = w - 1 - x; } // 8
                }
                dst[ty * tw + tx] = src[y * w + x];
            }
        }
        target.setRGB(0, 0, tw, swap ? w : h, dst, 0, tw);
        return target;
    }
}
