package io.streamroutes.media;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EicarScannerTest {

    @TempDir
    Path dir;

    @Test
    void findsTheSignatureAtEveryOffsetAroundChunkEdges() throws IOException {
        byte[] sig = EicarScanner.EICAR;
        int edge = 64 * 1024 + sig.length - 1;
        for (int offset : new int[] {0, 1, edge - sig.length - 1, edge - sig.length, edge - 40, edge - 1, edge, edge + 1,
                2 * 64 * 1024 + 3, 199_000 - sig.length}) {
            byte[] data = new byte[199_000];
            Arrays.fill(data, (byte) 'A');
            System.arraycopy(sig, 0, data, offset, sig.length);
            assertTrue(EicarScanner.contains(new ByteArrayInputStream(data), sig), "at " + offset);
            // also when the stream hands out odd-sized reads
            assertTrue(EicarScanner.contains(trickle(data), sig), "trickled at " + offset);
        }
    }

    @Test
    void cleanAndTruncatedSignaturesAreNotDetected() throws IOException {
        byte[] data = new byte[300_000];
        System.arraycopy(EicarScanner.EICAR, 0, data, 70_000, EicarScanner.EICAR.length - 1);
        assertFalse(EicarScanner.contains(new ByteArrayInputStream(data), EicarScanner.EICAR));
        assertFalse(EicarScanner.contains(new ByteArrayInputStream(new byte[0]), EicarScanner.EICAR));
    }

    @Test
    void scansRealFilesWithoutFollowingLinks() throws IOException {
        Path infected = Files.write(dir.resolve("eicar.com"), EicarScanner.EICAR);
        Path clean = Files.write(dir.resolve("clean.bin"), new byte[1000]);
        EicarScanner scanner = new EicarScanner();
        assertEquals(new VirusScanner.ScanVerdict("builtin-eicar", "EICAR-Test-File"), scanner.scan(infected));
        assertFalse(scanner.scan(clean).infected());
        Path link = Files.createSymbolicLink(dir.resolve("link"), infected);
        try {
            scanner.scan(link);
            throw new AssertionError("a link must not be followed");
        } catch (IOException expected) {
            // ELOOP from O_NOFOLLOW
        }
    }

    private static InputStream trickle(byte[] data) {
        return new FilterInputStream(new ByteArrayInputStream(data)) {
            private int n;

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return super.read(b, off, Math.min(len, 1 + (n++ * 7919) % 5000));
            }
        };
    }
}
