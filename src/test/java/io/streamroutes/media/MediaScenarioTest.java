package io.streamroutes.media;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.DeflaterOutputStream;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.resps.StreamConsumerInfo;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * routes/media.yaml end to end: the real application against a real Redis, with real image files under a temporary
 * media root.
 */
class MediaScenarioTest {

    @RegisterExtension
    static final MediaRoute media = MediaRoute.with(Map.of(
            "media.min-idle-time-ms", "400",
            "media.claim-interval-ms", "200",
            "media.max-deliveries", "3"));
    static Path root;
    static Path outside;

    @BeforeAll
    static void outside() throws IOException {
        root = media.root();
        outside = Files.createDirectories(media.dir().resolve("outside"));
    }

    @Test
    void resizeKeepsAspectAndLimitsLongestSide() throws Exception {
        writeImage("big-png", 3000, 1500, "png");
        media.task("big-png", "resize");
        Map<String, String> result = awaitResult("big-png", "resize");
        assertEquals(Map.of("file_id", "big-png", "action", "resize", "status", "ok", "output", "derived/big-png/resized.jpg",
                "format", "jpeg", "bytes_in", Long.toString(Files.size(media.original("big-png"))),
                "bytes_out", Long.toString(Files.size(root.resolve("derived/big-png/resized.jpg")))), result);
        assertDimensions(root.resolve("derived/big-png/resized.jpg"), 1024, 512);
        assertNoTempFiles(root.resolve("derived/big-png"));
        media.awaitNothingPending();
    }

    @Test
    void resizeDoesNotUpscaleAndReadsJpeg() throws Exception {
        writeImage("small-jpg", 800, 600, "jpg");
        media.task("small-jpg", "resize");
        assertEquals("derived/small-jpg/resized.jpg", awaitResult("small-jpg", "resize").get("output"));
        assertDimensions(root.resolve("derived/small-jpg/resized.jpg"), 800, 600);
        media.awaitNothingPending();
    }

    @Test
    void previewFitsInto256() throws Exception {
        writeImage("portrait", 600, 1200, "jpg");
        media.task("portrait", "preview");
        Map<String, String> result = awaitResult("portrait", "preview");
        assertEquals("derived/portrait/preview.jpg", result.get("output"));
        assertEquals("ok", result.get("status"));
        assertDimensions(root.resolve("derived/portrait/preview.jpg"), 128, 256);
        media.awaitNothingPending();
    }

    @Test
    void missingOriginalIsRetriedUntilTheUploadArrives() throws Exception {
        String id = media.task("late-upload", "resize");
        await("first failed delivery").atMost(Duration.ofSeconds(15)).until(() -> media.deliveryCount(id) >= 1);
        assertTrue(media.results("late-upload").isEmpty());
        assertEquals(1, media.pendingCount(), "stays pending while the upload is missing");
        writeImage("late-upload", 2048, 1024, "png");
        awaitResult("late-upload", "resize");
        assertDimensions(root.resolve("derived/late-upload/resized.jpg"), 1024, 512);
        media.awaitNothingPending();
        assertTrue(media.deadLetters("late-upload").isEmpty());
    }

    @Test
    void missingOriginalIsDeadLetteredAfterMaxDeliveries() {
        media.task("never-uploaded", "preview");
        Map<String, String> dead = awaitDeadLetter("never-uploaded");
        assertEquals("3", dead.get("x-delivery-count"));
        assertTrue(dead.get("x-error").contains("NoSuchFileException"), dead.get("x-error"));
        assertEquals("preview", dead.get("action"));
        media.awaitNothingPending();
        assertTrue(media.results("never-uploaded").isEmpty());
    }

    @Test
    void corruptImageIsDeadLetteredAtOnce() throws Exception {
        writeImage("truncated", 400, 300, "png");
        byte[] png = Files.readAllBytes(media.original("truncated"));
        Files.write(media.original("truncated"), java.util.Arrays.copyOf(png, png.length / 2));
        Files.writeString(media.original("not-an-image"), "hello, I am a text file");
        media.task("truncated", "resize");
        media.task("not-an-image", "preview");
        Map<String, String> truncated = awaitDeadLetter("truncated");
        assertEquals("1", truncated.get("x-delivery-count"));
        assertTrue(truncated.get("x-error").contains("RedisStreamsNonRetryableException: corrupt or unsupported png image"),
                truncated.get("x-error"));
        assertTrue(awaitDeadLetter("not-an-image").get("x-error").contains("not an image in a supported format"));
        media.awaitNothingPending();
        assertFalse(Files.exists(root.resolve("derived/truncated/resized.jpg")));
        assertFalse(Files.exists(root.resolve("derived/not-an-image/preview.jpg")));
    }

    @Test
    void decompressionBombIsRejectedBeforeDecoding() throws Exception {
        Files.write(media.original("bomb"), pngHeaderOnly(60000, 60000));
        media.task("bomb", "resize");
        String error = awaitDeadLetter("bomb").get("x-error");
        assertTrue(error.contains("60000x60000 pixels, more than the allowed 50000000"), error);
        media.awaitNothingPending();
    }

    @Test
    void unknownActionIsDeadLettered() throws Exception {
        writeImage("rotate-me", 10, 10, "png");
        media.task("rotate-me", "rotate");
        String error = awaitDeadLetter("rotate-me").get("x-error");
        assertTrue(error.contains("unknown action 'rotate'"), error);
        media.awaitNothingPending();
    }

    @Test
    void invalidFileIdsAreDeadLetteredAndNothingOutsideTheRootIsTouched() throws Exception {
        writeImage(outside.resolve("secret.png"), 50, 50, "png");
        List<String> ids = List.of("../../etc/passwd", "/etc/passwd", "..\\x", "../outside/secret.png", "ok\u0000id", "",
                "a".repeat(129), "with space", "dots.png");
        for (String fileId : ids) {
            media.task(fileId, "resize");
        }
        Map<String, String> withoutFileId = new LinkedHashMap<>();
        withoutFileId.put("user_id", "456");
        withoutFileId.put("action", "preview");
        media.jedis().xadd("media:tasks", StreamEntryID.NEW_ENTRY, withoutFileId);
        await("all dead-lettered").atMost(Duration.ofSeconds(15))
                .until(() -> ids.stream().allMatch(fileId -> !media.deadLetters(fileId).isEmpty())
                                         && media.deadLetters(null).size() == 1);
        for (String fileId : ids) {
            String error = media.deadLetters(fileId).get(0).get("x-error");
            assertTrue(error.contains("invalid file_id"), error);
            assertTrue(media.results(fileId).isEmpty());
        }
        assertTrue(media.deadLetters(null).get(0).get("x-error").contains("invalid file_id (missing)"));
        media.awaitNothingPending();
        assertOutsideUntouched();
    }

    @Test
    void symbolicLinksLeadingOutsideAreNotFollowed() throws Exception {
        writeImage(outside.resolve("secret.png"), 50, 50, "png");
        // an original that is a link to a file outside the root
        Files.createSymbolicLink(media.original("linked-file"), outside.resolve("secret.png"));
        // a derived directory that is a link to a directory outside the root
        writeImage("linked-dir", 50, 50, "png");
        Files.createDirectories(root.resolve("derived"));
        Files.createSymbolicLink(root.resolve("derived/linked-dir"), outside);
        media.task("linked-file", "resize");
        media.task("linked-file", "antivirus");
        media.task("linked-dir", "preview");
        await("dead-lettered").atMost(Duration.ofSeconds(15))
                .until(() -> media.deadLetters("linked-file").size() == 2 && media.deadLetters("linked-dir").size() == 1);
        assertTrue(media.deadLetters("linked-file").get(0).get("x-error").contains("symbolic link, not followed"));
        assertTrue(media.deadLetters("linked-dir").get(0).get("x-error").contains("leads outside the media root"));
        media.awaitNothingPending();
        assertOutsideUntouched();
        assertTrue(Files.isSymbolicLink(media.original("linked-file")), "the link itself is left in place");
    }

    @Test
    void antivirusQuarantinesEicarAndPassesCleanFiles() throws Exception {
        String eicar = "X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*";
        Files.writeString(media.original("infected"), eicar);
        // signature buried in the middle of a larger file, across the scanner's 64 KiB chunk boundary
        byte[] big = new byte[300_000];
        byte[] sig = eicar.getBytes(StandardCharsets.US_ASCII);
        // the scanner reads 64 KiB plus a 67-byte overlap at a time: place the signature across that edge
        System.arraycopy(sig, 0, big, 65_536 + 67 - 20, sig.length);
        Files.write(media.original("infected-big"), big);
        writeImage("clean", 20, 20, "png");
        media.task("infected", "antivirus");
        media.task("infected-big", "antivirus");
        media.task("clean", "antivirus");
        assertEquals(Map.of("file_id", "infected", "action", "antivirus", "status", "infected", "output", "quarantine/infected",
                        "engine", "builtin-eicar", "threat", "EICAR-Test-File", "bytes_in", "68"),
                awaitResult("infected", "antivirus"));
        assertEquals("quarantine/infected-big", awaitResult("infected-big", "antivirus").get("output"));
        long cleanBytes = Files.size(media.original("clean"));
        assertEquals(Map.of("file_id", "clean", "action", "antivirus", "status", "clean", "output", "originals/clean",
                        "engine", "builtin-eicar", "bytes_in", Long.toString(cleanBytes)),
                awaitResult("clean", "antivirus"));
        assertFalse(Files.exists(media.original("infected")));
        assertEquals(eicar, Files.readString(root.resolve("quarantine/infected")));
        assertArrayEquals(big, Files.readAllBytes(root.resolve("quarantine/infected-big")));
        assertTrue(Files.exists(media.original("clean")));
        media.awaitNothingPending();
    }

    @Test
    void jpegPhotoComesOutAsSmallerUprightJpegWithoutMetadata() throws Exception {
        // stored 1600x1200 with EXIF orientation 6 (shown rotated 90 degrees clockwise) and a GPS position
        Files.write(media.original("photo"), TestPhotos.withExif(TestPhotos.jpeg(TestPhotos.marked(1600, 1200), 95), 6));
        media.task("photo", "resize");
        media.task("photo", "preview");
        media.task("photo", "compress");
        Map<String, String> resized = awaitResult("photo", "resize");
        Map<String, String> compressed = awaitResult("photo", "compress");
        awaitResult("photo", "preview");
        long bytesIn = Files.size(media.original("photo"));
        assertEquals(Map.of("file_id", "photo", "action", "resize", "status", "ok", "output", "derived/photo/resized.jpg",
                "format", "jpeg", "bytes_in", Long.toString(bytesIn), "bytes_out", Long.toString(Files.size(root.resolve("derived/photo/resized.jpg")))),
                resized);
        assertEquals("derived/photo/compressed.jpg", compressed.get("output"));
        assertTrue(Long.parseLong(compressed.get("bytes_out")) < bytesIn, compressed.toString());
        assertEquals(Files.size(root.resolve("derived/photo/compressed.jpg")), Long.parseLong(compressed.get("bytes_out")));
        for (String[] output : new String[][] {{"resized.jpg", "768", "1024"}, {"preview.jpg", "192", "256"},
                {"compressed.jpg", "1200", "1600"}}) {
            Path file = root.resolve("derived/photo").resolve(output[0]);
            assertDimensions(file, Integer.parseInt(output[1]), Integer.parseInt(output[2]));
            assertTrue(TestPhotos.isJpeg(file), output[0]);
            assertFalse(TestPhotos.hasExif(file), output[0] + " still carries EXIF");
            // the stored top-left corner (red) is the top-right corner once turned upright
            assertTrue(TestPhotos.isRed(file, 0.95, 0.05), output[0] + " not upright");
            assertFalse(TestPhotos.isRed(file, 0.05, 0.05), output[0] + " not upright");
        }
        assertTrue(TestPhotos.hasExif(media.original("photo")), "the original is left as uploaded");
        media.awaitNothingPending();
    }

    @Test
    void compressKeepsTheOriginalWhenReencodingDoesNotMakeItSmaller() throws Exception {
        writeImage("flat-png", 600, 400, "png");
        media.task("flat-png", "compress");
        String size = Long.toString(Files.size(media.original("flat-png")));
        assertEquals(Map.of("file_id", "flat-png", "action", "compress", "status", "ok", "output", "originals/flat-png",
                "format", "png", "bytes_in", size, "bytes_out", size), awaitResult("flat-png", "compress"));
        assertFalse(Files.exists(root.resolve("derived/flat-png/compressed.jpg")));
        media.awaitNothingPending();
    }

    @Test
    void consumerNameDefaultsToHostBasedName() {
        List<StreamConsumerInfo> consumers = media.jedis().xinfoConsumers2("media:tasks", "media-workers");
        assertEquals(1, consumers.size());
        String name = consumers.get(0).getName();
        assertFalse(name.isBlank());
        assertTrue(name.endsWith("-" + ProcessHandle.current().pid()), name);
    }

    // --- helpers ---

    private static void writeImage(String fileId, int width, int height, String format) throws IOException {
        writeImage(media.original(fileId), width, height, format);
    }

    private static void writeImage(Path file, int width, int height, String format) throws IOException {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.ORANGE);
        g.fillRect(0, 0, width, height);
        g.setColor(Color.BLUE);
        g.fillOval(width / 4, height / 4, width / 2, height / 2);
        g.dispose();
        // written under another name first so the route never sees a half-written original
        Path temp = file.resolveSibling(file.getFileName() + ".part");
        assertTrue(ImageIO.write(image, format, temp.toFile()));
        Files.move(temp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /** A valid PNG header claiming the given size, with almost no pixel data. */
    private static byte[] pngHeaderOnly(int width, int height) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        ByteArrayOutputStream ihdr = new ByteArrayOutputStream();
        DataOutputStream h = new DataOutputStream(ihdr);
        h.writeInt(width);
        h.writeInt(height);
        h.write(new byte[] {8, 0, 0, 0, 0});
        chunk(out, "IHDR", ihdr.toByteArray());
        ByteArrayOutputStream idat = new ByteArrayOutputStream();
        try (DeflaterOutputStream z = new DeflaterOutputStream(idat)) {
            z.write(new byte[1024]);
        }
        chunk(out, "IDAT", idat.toByteArray());
        chunk(out, "IEND", new byte[0]);
        return bytes.toByteArray();
    }

    private static void chunk(DataOutputStream out, String type, byte[] data) throws IOException {
        out.writeInt(data.length);
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        out.write(t);
        out.write(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        out.writeInt((int) crc.getValue());
    }

    static void assertDimensions(Path file, int width, int height) throws IOException {
        assertTrue(Files.isRegularFile(file), file + " exists");
        BufferedImage image = ImageIO.read(file.toFile());
        assertNotNull(image, file + " is a readable image");
        assertEquals(width + "x" + height, image.getWidth() + "x" + image.getHeight());
    }

    private static void assertNoTempFiles(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            assertEquals(List.of(), files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".tmp")).toList());
        }
    }

    private static void assertOutsideUntouched() throws IOException {
        try (Stream<Path> files = Files.walk(outside)) {
            assertEquals(List.of(outside, outside.resolve("secret.png")), files.sorted().toList());
        }
        try (Stream<Path> files = Files.walk(media.dir(), 1)) {
            assertEquals(List.of(media.dir(), root, outside), files.sorted().toList());
        }
    }

    private static Map<String, String> awaitResult(String fileId, String action) {
        return media.awaitResult(fileId, action, Duration.ofSeconds(15));
    }

    private static Map<String, String> awaitDeadLetter(String fileId) {
        return media.awaitDeadLetter(fileId, Duration.ofSeconds(15));
    }
}
