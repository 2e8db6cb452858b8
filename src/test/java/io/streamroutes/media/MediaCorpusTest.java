package io.streamroutes.media;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Photos as phones and editors write them, built with ImageMagick and exiftool, through the real route
 * (routes/media.yaml, JPEG output): every output is checked with ImageMagick and exiftool for its format, size,
 * orientation, sRGB colours and absence of metadata; files no decoder can read are dead-lettered with its reason.
 */
class MediaCorpusTest {

    @RegisterExtension
    static final MediaRoute media = MediaRoute.with(Map.of("media.max-deliveries", "3")).requiring(Corpus::requireTools);

    @Test
    void jfifWithExifOrientationAndGps() throws Exception {
        Path photo = media.corpus().withExif(media.corpus().picture("jfif-exif.jpg", 1200, 900, "-quality", "92"), 6);
        assertTrue(Corpus.metadataGroups(photo).containsAll(List.of("EXIF")), "the original carries EXIF");
        Path out = resize("jfif-exif", Files.readAllBytes(photo));
        assertOutput(out, 768, 1024);
        assertRed(out, 0.97, 0.03); // the stored top-left corner, once turned upright
    }

    @Test
    void exifBeforeJfif() throws Exception {
        byte[] jpeg = Files.readAllBytes(media.corpus().withExif(media.corpus().picture("exif-first.jpg", 1200, 900), 6));
        Path out = resize("exif-before-jfif", Corpus.exifBeforeJfif(jpeg));
        assertOutput(out, 768, 1024);
        assertRed(out, 0.97, 0.03);
    }

    @Test
    void exifWithoutJfifAsCamerasWriteIt() throws Exception {
        byte[] jpeg = Files.readAllBytes(media.corpus().withExif(media.corpus().picture("exif-only.jpg", 1200, 900), 8));
        byte[] withoutJfif = Corpus.join(Corpus.segments(jpeg).stream().filter(s -> Corpus.marker(s) != 0xE0).toList());
        Path out = resize("exif-only", withoutJfif);
        assertOutput(out, 768, 1024);
        assertRed(out, 0.03, 0.97);
    }

    @Test
    void adobeApp14InsteadOfJfif() throws Exception {
        byte[] jpeg = Files.readAllBytes(media.corpus().picture("adobe.jpg", 1200, 900));
        Path out = resize("adobe-app14", Corpus.adobeInsteadOfJfif(jpeg));
        assertOutput(out, 1024, 768);
        assertRed(out, 0.03, 0.03);
        assertPatch(out, Corpus.PATCH, 12);
    }

    @Test
    void cmykAsYcckWithoutProfile() throws Exception {
        Path cmyk = media.corpus().picture("cmyk.jpg", 1200, 900, "-colorspace", "CMYK");
        assertTrue(Corpus.identify(cmyk).endsWith("CMYK"), Corpus.identify(cmyk));
        Path out = resize("cmyk", Files.readAllBytes(cmyk));
        assertOutput(out, 1024, 768);
        assertRed(out, 0.03, 0.03);
        // no profile: a generic CMYK profile is assumed, so the colours are close, not exact
        assertPatch(out, Corpus.PATCH, 45);
    }

    @Test
    void progressive() throws Exception {
        Path progressive = media.corpus().picture("progressive.jpg", 1200, 900, "-interlace", "JPEG");
        Path out = resize("progressive", Files.readAllBytes(progressive));
        assertOutput(out, 1024, 768);
        assertPatch(out, Corpus.PATCH, 12);
    }

    @Test
    void grayscale() throws Exception {
        Path out = resize("grayscale", Files.readAllBytes(media.corpus().picture("gray.jpg", 1200, 900, "-colorspace", "Gray")));
        assertOutput(out, 1024, 768);
    }

    @Test
    void embeddedWideGamutProfileIsConvertedNotDropped() throws Exception {
        Path clay = media.corpus().profile("clay.icc");
        Path photo = media.corpus().picture("wide-gamut.jpg", 1200, 900, "-profile", clay.toString(), "-quality", "95");
        Path reference = media.corpus().file("wide-gamut-reference.png");
        Path srgb = media.corpus().profile("srgb.icc");
        media.corpus().convert(List.of(photo.toString(), "-profile", srgb.toString(), reference.toString()));
        int[] expected = Corpus.pixel(reference, 0.5, 0.5);
        assertTrue(differs(expected, Corpus.PATCH, 15), "the profile must change the colours for this test to mean anything: "
                                                          + Arrays.toString(expected));
        Path out = resize("wide-gamut-jpeg", Files.readAllBytes(photo));
        assertOutput(out, 1024, 768);
        assertPatch(out, expected, 10);

        Path png = media.corpus().picture("wide-gamut.png", 1200, 900, "-profile", clay.toString());
        Path pngOut = resize("wide-gamut-png", Files.readAllBytes(png));
        assertOutput(pngOut, 1024, 768);
        assertPatch(pngOut, expected, 10);
    }

    @Test
    void brokenIccProfilesAreIgnored() throws Exception {
        byte[] jpeg = Files.readAllBytes(media.corpus().picture("broken-icc.jpg", 1200, 900));
        for (boolean badSequence : new boolean[] {false, true}) {
            String id = badSequence ? "icc-bad-sequence" : "icc-garbage";
            Path out = resize(id, Corpus.withBrokenIcc(jpeg, badSequence));
            assertOutput(out, 1024, 768);
            assertPatch(out, Corpus.PATCH, 12);
        }
    }

    @Test
    void pngWithAlphaIsFlattenedOnWhite() throws Exception {
        Path out = resize("png-alpha", Files.readAllBytes(media.corpus().transparentPng("alpha.png")));
        assertOutput(out, 600, 400);
        assertRed(out, 0.2, 0.5);
        int[] right = Corpus.pixel(out, 0.8, 0.5);
        assertTrue(right[0] > 245 && right[1] > 245 && right[2] > 245, "transparent part not white: " + Arrays.toString(right));
    }

    @Test
    void heic() throws Exception {
        Path heic = media.corpus().picture("photo.heic", 1200, 900, "-quality", "80");
        assertTrue(Corpus.identify(heic).startsWith("HEIC"), Corpus.identify(heic));
        Path out = resize("heic", Files.readAllBytes(heic));
        assertOutput(out, 1024, 768);
        assertRed(out, 0.03, 0.03);
        assertPatch(out, Corpus.PATCH, 15);
        Map<String, String> preview = media.process("heic", "preview");
        assertEquals("derived/heic/preview.jpg", preview.get("output"));
        assertEquals("JPEG 256x192 sRGB", Corpus.identify(media.root().resolve(preview.get("output"))));
    }

    @Test
    void decompressionBombsAreRefusedBeforeDecodingInEveryFormat() throws Exception {
        byte[] jpeg = Files.readAllBytes(media.corpus().picture("small.jpg", 120, 90));
        byte[] heic = Files.readAllBytes(media.corpus().picture("small.heic", 120, 90));
        media.writeOriginal("bomb-jpeg", Corpus.jpegClaiming(jpeg, 60000, 60000));
        media.writeOriginal("bomb-heic", Corpus.heifClaiming(heic, 60000, 60000));
        for (String id : List.of("bomb-jpeg", "bomb-heic")) {
            media.task(id, "resize");
            Map<String, String> dead = awaitDeadLetter(id);
            assertEquals("1", dead.get("x-delivery-count"));
            assertTrue(dead.get("x-error").contains("60000x60000 pixels, more than the allowed 50000000"), dead.get("x-error"));
        }
    }

    @Test
    void filesNoDecoderReadsAreDeadLetteredWithItsReason() throws Exception {
        byte[] heic = Files.readAllBytes(media.corpus().picture("whole.heic", 400, 300));
        media.writeOriginal("heic-truncated", Arrays.copyOf(heic, heic.length / 2));
        byte[] jpeg = Files.readAllBytes(media.corpus().picture("whole.jpg", 400, 300));
        byte[] garbage = jpeg.clone();
        Arrays.fill(garbage, 200, garbage.length, (byte) 0x5A); // headers, then no decodable data
        media.writeOriginal("jpeg-garbage", garbage);
        media.writeOriginal("text", "a text file, not an image".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        Map<String, String> expected = Map.of(
                "heic-truncated", "corrupt or unsupported heif image heic-truncated (libheif through vips: ",
                "jpeg-garbage", "corrupt or unsupported jpeg image jpeg-garbage (TwelveMonkeys ImageIO JPEGImageReader): ",
                "text", "not an image in a supported format (JPEG, PNG, HEIC/HEIF, GIF, BMP, TIFF): text");
        for (String id : expected.keySet()) {
            media.task(id, "resize");
        }
        for (Map.Entry<String, String> e : expected.entrySet()) {
            Map<String, String> dead = awaitDeadLetter(e.getKey());
            assertEquals("1", dead.get("x-delivery-count"), e.getKey());
            assertTrue(dead.get("x-error").contains(e.getValue()), dead.get("x-error"));
            assertFalse(Files.exists(media.root().resolve("derived").resolve(e.getKey()).resolve("resized.jpg")));
        }
    }

    // --- helpers ---

    private static Path resize(String fileId, byte[] content) throws IOException {
        media.writeOriginal(fileId, content);
        Map<String, String> result = media.process(fileId, "resize");
        assertEquals("ok", result.get("status"), result.toString());
        assertEquals("jpeg", result.get("format"), result.toString());
        assertEquals("derived/" + fileId + "/resized.jpg", result.get("output"));
        Path out = media.root().resolve(result.get("output"));
        assertEquals(Files.size(out), Long.parseLong(result.get("bytes_out")));
        return out;
    }

    private static Map<String, String> awaitDeadLetter(String fileId) {
        return media.awaitDeadLetter(fileId, Duration.ofSeconds(60));
    }

    /** JPEG of the given size in sRGB, without any metadata (EXIF, GPS, ICC, XMP, Adobe, IPTC). */
    static void assertOutput(Path out, int width, int height) throws IOException {
        assertEquals("JPEG " + width + "x" + height + " sRGB", Corpus.identify(out));
        assertEquals(List.of(), Corpus.metadataGroups(out), out + " carries metadata");
    }

    static void assertRed(Path out, double fx, double fy) throws IOException {
        int[] p = Corpus.pixel(out, fx, fy);
        assertTrue(p[0] > 180 && p[1] < 80 && p[2] < 80, "not red at " + fx + "," + fy + ": " + Arrays.toString(p));
    }

    static void assertPatch(Path out, int[] expected, int tolerance) throws IOException {
        int[] p = Corpus.pixel(out, 0.5, 0.5);
        assertFalse(differs(p, expected, tolerance), "centre " + Arrays.toString(p) + ", expected " + Arrays.toString(expected)
                                                     + " +/- " + tolerance);
    }

    static boolean differs(int[] a, int[] b, int tolerance) {
        for (int i = 0; i < 3; i++) {
            if (Math.abs(a[i] - b[i]) > tolerance) {
                return true;
            }
        }
        return false;
    }
}
