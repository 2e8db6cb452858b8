package io.streamroutes.media;

import java.awt.color.ColorSpace;
import java.awt.color.ICC_Profile;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Builds the media corpus the way cameras, phones and editors write files: with Debian's ImageMagick
 * ({@code /usr/bin/convert}, HEIC through libheif) and exiftool, plus JPEG segment surgery for the orders and markers
 * those tools do not write. Also reads outputs back with the same tools (format, size, colour space, pixels, metadata),
 * so that checking never depends on the route's own decoders.
 */
final class Corpus {

    /** The uniform patch in the middle of every picture, used to see colour conversions. */
    static final int[] PATCH = {40, 180, 60};

    private final Path dir;

    Corpus(Path dir) throws IOException {
        this.dir = Files.createDirectories(dir);
    }

    /** Skips (locally) or fails (under CI) unless the tools that build and check the corpus and the route's own are there. */
    static void requireTools() {
        for (String tool : List.of("/usr/bin/convert", "/usr/bin/identify", "/usr/bin/exiftool", "/usr/bin/vips", "/usr/bin/cwebp")) {
            io.streamroutes.testsupport.InstalledTools.require(Files.isExecutable(Path.of(tool)),
                    tool + " (Debian: imagemagick, libimage-exiftool-perl, libvips-tools, webp)");
        }
    }

    /** A 1200x900 (or given size) picture: gradient background, red top-left eighth, the PATCH colour in the middle. */
    Path picture(String name, int width, int height, String... convertOptions) throws IOException {
        Path file = dir.resolve(name);
        List<String> args = new ArrayList<>(List.of("-size", width + "x" + height, "gradient:#406080-#c0a070",
                "-fill", "red", "-draw", "rectangle 0,0 " + (width / 8) + "," + (height / 8),
                "-fill", "rgb(" + PATCH[0] + "," + PATCH[1] + "," + PATCH[2] + ")",
                "-draw", "rectangle " + (width * 3 / 8) + "," + (height * 3 / 8) + " " + (width * 5 / 8) + "," + (height * 5 / 8)));
        args.addAll(List.of(convertOptions));
        args.add(file.toString());
        convert(args);
        return file;
    }

    /** A PNG whose right half is fully transparent and left half opaque red. */
    Path transparentPng(String name) throws IOException {
        Path file = dir.resolve(name);
        convert(List.of("-size", "600x400", "xc:none", "-fill", "red", "-draw", "rectangle 0,0 299,399", "PNG32:" + file));
        return file;
    }

    /** Sets EXIF orientation and a GPS position with exiftool, as a phone camera writes them. */
    Path withExif(Path jpeg, int orientation) throws IOException {
        run(List.of("exiftool", "-q", "-overwrite_original", "-Orientation#=" + orientation, "-GPSLatitude=48.137",
                "-GPSLatitudeRef=N", "-Make=TestPhone", jpeg.toString()));
        return jpeg;
    }

    /** The JPEG's segments before the scan, each from its marker on; the last element is the scan and what follows. */
    static List<byte[]> segments(byte[] jpeg) {
        List<byte[]> out = new ArrayList<>();
        int i = 2;
        while (true) {
            int marker = jpeg[i + 1] & 0xff;
            if (marker == 0xDA) {
                out.add(java.util.Arrays.copyOfRange(jpeg, i, jpeg.length));
                return out;
            }
            int length = ((jpeg[i + 2] & 0xff) << 8) | (jpeg[i + 3] & 0xff);
            out.add(java.util.Arrays.copyOfRange(jpeg, i, i + 2 + length));
            i += 2 + length;
        }
    }

    static int marker(byte[] segment) {
        return segment[1] & 0xff;
    }

    /** SOI followed by the segments in the given order. */
    static byte[] join(List<byte[]> segments) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0xFF);
        out.write(0xD8);
        segments.forEach(out::writeBytes);
        return out.toByteArray();
    }

    /** An APPn segment with the given payload. */
    static byte[] app(int n, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(4 + payload.length);
        b.put((byte) 0xFF).put((byte) (0xE0 + n)).putShort((short) (payload.length + 2)).put(payload);
        return b.array();
    }

    /** The APP1 Exif segment moved in front of the JFIF APP0, as some phones and editors write it. */
    static byte[] exifBeforeJfif(byte[] jpeg) {
        List<byte[]> segments = segments(jpeg);
        List<byte[]> reordered = new ArrayList<>(segments.stream().filter(s -> marker(s) == 0xE1).toList());
        segments.stream().filter(s -> marker(s) != 0xE1).forEach(reordered::add);
        return join(reordered);
    }

    /** The JFIF APP0 replaced by an Adobe APP14 (transform 1, YCbCr), as Photoshop writes RGB JPEGs. */
    static byte[] adobeInsteadOfJfif(byte[] jpeg) {
        List<byte[]> segments = new ArrayList<>(segments(jpeg).stream().filter(s -> marker(s) != 0xE0).toList());
        byte[] adobe = ByteBuffer.allocate(12).put("Adobe".getBytes(StandardCharsets.US_ASCII)).putShort((short) 100)
                .putShort((short) 0).putShort((short) 0).put((byte) 1).array();
        segments.add(0, app(14, adobe));
        return join(segments);
    }

    /** An APP2 ICC_PROFILE segment inserted after APP0: garbage data, or a chunk numbered 2 of 1. */
    static byte[] withBrokenIcc(byte[] jpeg, boolean badSequence) {
        ByteArrayOutputStream payload = new ByteArrayOutputStream();
        payload.writeBytes("ICC_PROFILE\0".getBytes(StandardCharsets.US_ASCII));
        payload.write(badSequence ? 2 : 1);
        payload.write(1);
        payload.writeBytes("not an ICC profile at all ".repeat(20).getBytes(StandardCharsets.US_ASCII));
        List<byte[]> segments = new ArrayList<>(segments(jpeg));
        segments.add(1, app(2, payload.toByteArray()));
        return join(segments);
    }

    /** The frame header (SOFn) rewritten to claim the given size: a decompression bomb in a few kilobytes. */
    static byte[] jpegClaiming(byte[] jpeg, int width, int height) {
        byte[] copy = jpeg.clone();
        int i = 2;
        while (true) {
            int marker = copy[i + 1] & 0xff;
            int length = ((copy[i + 2] & 0xff) << 8) | (copy[i + 3] & 0xff);
            if (marker >= 0xC0 && marker <= 0xC2) {
                ByteBuffer.wrap(copy, i + 5, 4).putShort((short) height).putShort((short) width);
                return copy;
            }
            i += 2 + length;
        }
    }

    /** Every {@code ispe} property of the HEIF file rewritten to claim the given size. */
    static byte[] heifClaiming(byte[] heif, int width, int height) {
        byte[] copy = heif.clone();
        int patched = 0;
        for (int i = 0; i + 16 <= copy.length; i++) {
            if (copy[i] == 'i' && copy[i + 1] == 's' && copy[i + 2] == 'p' && copy[i + 3] == 'e') {
                ByteBuffer.wrap(copy, i + 8, 8).putInt(width).putInt(height);
                patched++;
            }
        }
        assertTrue(patched > 0, "no ispe box found");
        return copy;
    }

    /** An ICC profile file: ClayRGB (Adobe RGB 1998 compatible, shipped by TwelveMonkeys) or the JDK's sRGB. */
    Path profile(String name) throws IOException {
        Path file = dir.resolve(name);
        if ("srgb.icc".equals(name)) {
            Files.write(file, ICC_Profile.getInstance(ColorSpace.CS_sRGB).getData());
        } else {
            try (InputStream in = Corpus.class.getResourceAsStream("/profiles/ClayRGB1998.icc")) {
                Files.write(file, in.readAllBytes());
            }
        }
        return file;
    }

    Path file(String name) {
        return dir.resolve(name);
    }

    // --- reading outputs back with ImageMagick and exiftool ---

    /** {@code identify}: "FORMAT WIDTHxHEIGHT COLORSPACE", e.g. {@code JPEG 1024x768 sRGB}. */
    static String identify(Path file) throws IOException {
        return run(List.of("identify", "-format", "%m %wx%h %[colorspace]", file.toString())).strip();
    }

    /** The 8-bit sRGB values of the pixel at the given fractions of width and height. */
    static int[] pixel(Path file, double fx, double fy) throws IOException {
        String size = run(List.of("identify", "-format", "%w %h", file.toString())).strip();
        int w = Integer.parseInt(size.split(" ")[0]);
        int h = Integer.parseInt(size.split(" ")[1]);
        String out = run(List.of("convert", file.toString(), "-alpha", "off", "-crop",
                "1x1+" + (int) (fx * (w - 1)) + "+" + (int) (fy * (h - 1)), "-depth", "8", "-format", "%[fx:int(255*r+.5)],%[fx:int(255*g+.5)],%[fx:int(255*b+.5)]", "info:")).strip();
        String[] parts = out.split(",");
        return new int[] {Integer.parseInt(parts[0]), Integer.parseInt(parts[1]), Integer.parseInt(parts[2])};
    }

    /** The metadata groups exiftool finds (File, JFIF, RIFF, Composite and ExifTool say nothing about the photo). */
    static List<String> metadataGroups(Path file) throws IOException {
        return run(List.of("exiftool", "-a", "-G0", "-s", file.toString())).lines()
                .map(line -> line.substring(1, line.indexOf(']')))
                .filter(g -> !List.of("ExifTool", "File", "JFIF", "RIFF", "Composite").contains(g)).distinct().toList();
    }

    void convert(List<String> args) throws IOException {
        List<String> line = new ArrayList<>();
        line.add("/usr/bin/convert");
        line.addAll(args);
        run(line);
    }

    static String run(List<String> command) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        try {
            assertTrue(process.waitFor(2, TimeUnit.MINUTES), command + " did not finish");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        String text = new String(output, StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), command + ": " + text);
        return text;
    }
}
