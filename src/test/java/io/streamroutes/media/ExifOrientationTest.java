package io.streamroutes.media;

import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ExifOrientationTest {

    /** An APP1 payload with IFD0 holding an unrelated tag, then the orientation tag. */
    static byte[] app1(ByteOrder order, int orientation) {
        ByteBuffer b = ByteBuffer.allocate(6 + 8 + 2 + 2 * 12 + 4).order(order);
        b.put(new byte[] {'E', 'x', 'i', 'f', 0, 0});
        b.put(order == ByteOrder.LITTLE_ENDIAN ? (byte) 'I' : (byte) 'M').put(order == ByteOrder.LITTLE_ENDIAN ? (byte) 'I' : (byte) 'M');
        b.putShort((short) 42).putInt(8);
        b.putShort((short) 2);
        b.putShort((short) 0x010F).putShort((short) 2).putInt(4).putInt(0); // Make, ASCII
        b.putShort((short) 0x0112).putShort((short) 3).putInt(1).putShort((short) orientation).putShort((short) 0);
        b.putInt(0);
        return b.array();
    }

    @Test
    void readsOrientationInBothByteOrders() {
        for (int o = 1; o <= 8; o++) {
            assertEquals(o, ExifOrientation.parse(app1(ByteOrder.BIG_ENDIAN, o)));
            assertEquals(o, ExifOrientation.parse(app1(ByteOrder.LITTLE_ENDIAN, o)));
        }
    }

    @Test
    void malformedDataMeansNormal() {
        assertEquals(1, ExifOrientation.parse(null));
        assertEquals(1, ExifOrientation.parse(new byte[3]));
        assertEquals(1, ExifOrientation.parse("http://ns.adobe.com/xap/1.0/\0<x:xmpmeta/>".getBytes()));
        assertEquals(1, ExifOrientation.parse(app1(ByteOrder.BIG_ENDIAN, 9)));
        byte[] truncated = java.util.Arrays.copyOf(app1(ByteOrder.BIG_ENDIAN, 6), 20);
        assertEquals(1, ExifOrientation.parse(truncated));
        byte[] lyingOffset = app1(ByteOrder.BIG_ENDIAN, 6);
        lyingOffset[6 + 4] = 0x7f;
        assertEquals(1, ExifOrientation.parse(lyingOffset));
    }

    /**
     * Stored 3x2 pixels "abc/def"; the upright images per the EXIF specification (orientation = where row 0 and
     * column 0 of the stored image are shown).
     */
    @Test
    void turnsEachOfTheEightOrientationsUpright() {
        BufferedImage stored = new BufferedImage(3, 2, BufferedImage.TYPE_INT_RGB);
        int[] v = {1, 2, 3, 4, 5, 6}; // a b c / d e f
        stored.setRGB(0, 0, 3, 2, v, 0, 3);
        assertUpright(stored, 1, 3, new int[] {1, 2, 3, 4, 5, 6});
        assertUpright(stored, 2, 3, new int[] {3, 2, 1, 6, 5, 4});       // mirrored
        assertUpright(stored, 3, 3, new int[] {6, 5, 4, 3, 2, 1});       // rotated 180
        assertUpright(stored, 4, 3, new int[] {4, 5, 6, 1, 2, 3});       // flipped
        assertUpright(stored, 5, 2, new int[] {1, 4, 2, 5, 3, 6});       // transposed
        assertUpright(stored, 6, 2, new int[] {4, 1, 5, 2, 6, 3});       // rotated 90 clockwise
        assertUpright(stored, 7, 2, new int[] {6, 3, 5, 2, 4, 1});       // transversed
        assertUpright(stored, 8, 2, new int[] {3, 6, 2, 5, 1, 4});       // rotated 90 counter-clockwise
    }

    private static void assertUpright(BufferedImage stored, int orientation, int width, int[] expected) {
        BufferedImage upright = ExifOrientation.apply(stored, orientation);
        int height = expected.length / width;
        assertEquals(width + "x" + height, upright.getWidth() + "x" + upright.getHeight(), "orientation " + orientation);
        int[] actual = upright.getRGB(0, 0, width, height, null, 0, width);
        for (int i = 0; i < actual.length; i++) {
            actual[i] &= 0xFFFFFF;
        }
        assertEquals(java.util.Arrays.toString(expected), java.util.Arrays.toString(actual), "orientation " + orientation);
    }
}
