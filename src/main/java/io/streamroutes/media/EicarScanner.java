package io.streamroutes.media;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A minimal virus scanner that finds the EICAR anti-virus test signature anywhere in a file. It streams the file in
 * fixed-size chunks (keeping only a signature-length overlap between them), so files of any size are scanned in
 * constant memory. Used only where no clamd is configured (the demo): it knows no other signature.
 */
public final class EicarScanner implements VirusScanner {

    static final String ENGINE = "builtin-eicar";

    static final String EICAR_NAME = "EICAR-Test-File";
    static final byte[] EICAR = "X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
            .getBytes(StandardCharsets.US_ASCII);
    private static final int CHUNK = 64 * 1024;

    @Override
    public String engine() {
        return ENGINE;
    }

    @Override
    public ScanVerdict scan(Path file) throws IOException {
        try (InputStream in = Channels.newInputStream(Files.newByteChannel(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS))) {
            return new ScanVerdict(ENGINE, contains(in, EICAR) ? EICAR_NAME : null);
        }
    }

    static boolean contains(InputStream in, byte[] signature) throws IOException {
        int keep = signature.length - 1;
        byte[] buffer = new byte[keep + CHUNK];
        int filled = 0;
        int read;
        while ((read = in.read(buffer, filled, buffer.length - filled)) != -1) {
            filled += read;
            if (filled < buffer.length) {
                continue;
            }
            if (indexOf(buffer, filled, signature) >= 0) {
                return true;
            }
            // the tail may hold the beginning of a signature that continues in the next chunk
            System.arraycopy(buffer, filled - keep, buffer, 0, keep);
            filled = keep;
        }
        return indexOf(buffer, filled, signature) >= 0;
    }

    private static int indexOf(byte[] data, int length, byte[] pattern) {
        outer:
        for (int i = 0; i <= length - pattern.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (data[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
