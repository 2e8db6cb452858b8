package io.streamroutes.media;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImageEncoderTest {

    private static byte[] encode(int quality, String extension, BufferedImage image) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new ImageEncoder(quality).write(image, extension, out);
        return out.toByteArray();
    }

    @Test
    void jpegQualityIsApplied() throws IOException {
        BufferedImage photo = TestPhotos.marked(400, 300);
        byte[] q50 = encode(50, "jpg", photo);
        byte[] q95 = encode(95, "jpg", photo);
        assertTrue(q50.length < q95.length, q50.length + " vs " + q95.length);
        assertEquals(0xFF, q50[0] & 0xff);
        assertEquals(0xD8, q50[1] & 0xff);
        BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(q50));
        assertEquals("400x300", decoded.getWidth() + "x" + decoded.getHeight());
    }

    @Test
    void pngForEverythingButJpeg() throws IOException {
        assertEquals("jpg", ImageEncoder.extensionFor("jpeg"));
        for (String format : new String[] {"png", "gif", "bmp", "tif", "wbmp"}) {
            assertEquals("png", ImageEncoder.extensionFor(format));
        }
        byte[] png = encode(85, "png", TestPhotos.marked(40, 30));
        assertEquals("\u0089PNG", new String(png, 0, 4, java.nio.charset.StandardCharsets.ISO_8859_1));
    }

    @Test
    void qualityOutsideOneToHundredIsAConfigurationError() {
        assertThrows(IllegalArgumentException.class, () -> new ImageEncoder(0));
        assertThrows(IllegalArgumentException.class, () -> new ImageEncoder(101));
    }
}
