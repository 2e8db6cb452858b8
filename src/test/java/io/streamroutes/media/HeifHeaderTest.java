package io.streamroutes.media;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HeifHeaderTest {

    @TempDir
    Path dir;

    private static byte[] box(String type, byte[]... content) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (byte[] c : content) {
            body.write(c);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DataOutputStream data = new DataOutputStream(out);
        data.writeInt(8 + body.size());
        data.write(type.getBytes(StandardCharsets.US_ASCII));
        data.write(body.toByteArray());
        return out.toByteArray();
    }

    private static byte[] ints(int... values) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DataOutputStream data = new DataOutputStream(out);
        for (int v : values) {
            data.writeInt(v);
        }
        return out.toByteArray();
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] ispe(int w, int h) throws IOException {
        return box("ispe", ints(0, w, h));
    }

    private HeifHeader.Size largest(byte[]... boxes) throws IOException {
        Path file = dir.resolve("f.heic");
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] b : boxes) {
            all.write(b);
        }
        Files.write(file, all.toByteArray());
        try (SeekableByteChannel channel = Files.newByteChannel(file)) {
            return HeifHeader.largestImage(channel);
        }
    }

    @Test
    void recognisesHeifBrands() throws IOException {
        assertTrue(HeifHeader.isHeif(box("ftyp", ascii("heic"), ints(0), ascii("mif1"), ascii("heic"))));
        assertTrue(HeifHeader.isHeif(box("ftyp", ascii("mif1"), ints(0), ascii("mif1"))));
        assertTrue(HeifHeader.isHeif(box("ftyp", ascii("isom"), ints(0), ascii("msf1"))));
        assertFalse(HeifHeader.isHeif(box("ftyp", ascii("isom"), ints(0), ascii("mp41"))));
        assertFalse(HeifHeader.isHeif(ascii("\u00ff\u00d8\u00ff\u00e0 not heif at all")));
        assertFalse(HeifHeader.isHeif(new byte[3]));
    }

    @Test
    void largestDeclaredImageOfAllIspeProperties() throws IOException {
        byte[] ipco = box("ipco", ispe(512, 512), box("colr", ascii("nclx")), ispe(4032, 3024));
        HeifHeader.Size size = largest(box("ftyp", ascii("heic"), ints(0)),
                box("meta", ints(0), box("hdlr", ints(0, 0), ascii("pict")), box("iprp", ipco)), box("mdat", new byte[100]));
        assertEquals(new HeifHeader.Size(4032, 3024), size);
        // unsigned: a size above 2^31 is read as such, not as a negative number that would pass the check
        assertEquals(new HeifHeader.Size(0xFFFFFFFFL, 2), largest(box("ftyp", ascii("heic")),
                box("meta", ints(0), box("iprp", box("ipco", ispe(-1, 2))))));
    }

    @Test
    void malformedHeadersAreErrors() {
        assertThrows(IOException.class, () -> largest(box("ftyp", ascii("heic")), box("mdat", new byte[10])));
        assertThrows(IOException.class, () -> largest(box("ftyp", ascii("heic")), box("meta", ints(0), box("iprp", box("ipco")))));
        assertThrows(IOException.class, () -> largest(box("ftyp", ascii("heic")), ints(1000), ascii("meta")));
        assertThrows(IOException.class, () -> largest(box("ftyp", ascii("heic")),
                box("meta", ints(0), box("iprp", ints(100), ascii("ipco")))));
    }
}
