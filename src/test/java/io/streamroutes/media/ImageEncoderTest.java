package io.streamroutes.media;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImageEncoderTest {

    private static byte[] encode(ImageEncoder encoder, BufferedImage image) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        encoder.write(image, out);
        return out.toByteArray();
    }

    private static ImageEncoder jpeg(int quality) {
        return new ImageEncoder(quality);
    }

    @Test
    void jpegQualityIsApplied() throws IOException {
        BufferedImage photo = TestPhotos.marked(400, 300);
        byte[] q50 = encode(jpeg(50), photo);
        byte[] q95 = encode(jpeg(95), photo);
        assertTrue(q50.length < q95.length, q50.length + " vs " + q95.length);
        assertEquals(0xFF, q50[0] & 0xff);
        assertEquals(0xD8, q50[1] & 0xff);
        BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(q50));
        assertEquals("400x300", decoded.getWidth() + "x" + decoded.getHeight());
    }

    @Test
    void transparencyIsFlattenedOnWhiteForJpeg() throws IOException {
        BufferedImage transparent = new BufferedImage(40, 30, BufferedImage.TYPE_INT_ARGB); // all pixels 0x00000000
        BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(encode(jpeg(90), transparent)));
        int centre = decoded.getRGB(20, 15) & 0xffffff;
        assertTrue((centre >> 16 & 0xff) > 245 && (centre >> 8 & 0xff) > 245 && (centre & 0xff) > 245,
                Integer.toHexString(centre) + " is not white");
    }

    @Test
    void webpThroughCwebpKeepsAlphaAndQualityMatters() throws IOException {
        io.streamroutes.testsupport.InstalledTools.require(java.nio.file.Files.isExecutable(java.nio.file.Path.of("/usr/bin/cwebp")),
                "/usr/bin/cwebp (Debian: webp)");
        ExternalTool cwebp = new ExternalTool("cwebp", Duration.ofMinutes(1));
        BufferedImage photo = TestPhotos.marked(400, 300);
        byte[] q30 = encode(new ImageEncoder("webp", 85, 30, cwebp), photo);
        byte[] q95 = encode(new ImageEncoder("webp", 85, 95, cwebp), photo);
        assertEquals("RIFF", new String(q30, 0, 4, StandardCharsets.ISO_8859_1));
        assertEquals("WEBP", new String(q30, 8, 4, StandardCharsets.ISO_8859_1));
        assertTrue(q30.length < q95.length, q30.length + " vs " + q95.length);
        BufferedImage withAlpha = new BufferedImage(40, 30, BufferedImage.TYPE_INT_ARGB);
        byte[] alpha = encode(new ImageEncoder("webp", 85, 80, cwebp), withAlpha);
        // the VP8X header's flags byte: bit 4 = alpha
        assertEquals("VP8X", new String(alpha, 12, 4, StandardCharsets.ISO_8859_1));
        assertTrue((alpha[20] & 0x10) != 0, "no alpha flag");
    }

    @Test
    void formatAndExtension() {
        ExternalTool cwebp = new ExternalTool("cwebp", Duration.ofMinutes(1));
        assertEquals("jpeg", jpeg(85).format());
        assertEquals("jpg", jpeg(85).extension());
        ImageEncoder webp = new ImageEncoder("WebP", 85, 80, cwebp);
        assertEquals("webp", webp.format());
        assertEquals("webp", webp.extension());
        assertThrows(IllegalArgumentException.class, () -> new ImageEncoder("png", 85, 80, cwebp));
    }

    @Test
    void qualityOutsideOneToHundredIsAConfigurationError() {
        ExternalTool cwebp = new ExternalTool("cwebp", Duration.ofMinutes(1));
        assertThrows(IllegalArgumentException.class, () -> new ImageEncoder(0));
        assertThrows(IllegalArgumentException.class, () -> new ImageEncoder(101));
        assertThrows(IllegalArgumentException.class, () -> new ImageEncoder("webp", 85, 0, cwebp));
    }
}
