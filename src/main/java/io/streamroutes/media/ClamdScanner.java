package io.streamroutes.media;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import io.streamroutes.component.redisstreams.RedisStreamsNonRetryableException;

/**
 * Scans with a clamd daemon over TCP ({@code INSTREAM}). A file larger than {@code maxBytes} (clamd's
 * StreamMaxLength) is refused before anything is sent: clamd would only answer with a size-limit error.
 */
public final class ClamdScanner implements VirusScanner {

    static final String ENGINE = "clamd";

    private final ClamdClient client;
    private final long maxBytes;
    private final String address;

    public ClamdScanner(String host, int port, int timeoutMs, long maxBytes) {
        this.client = new ClamdClient(host, port, timeoutMs);
        this.maxBytes = maxBytes;
        this.address = host + ":" + port;
    }

    @Override
    public String engine() {
        return ENGINE;
    }

    @Override
    public ScanVerdict scan(Path file) throws IOException {
        try (SeekableByteChannel channel = Files.newByteChannel(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
             InputStream in = Channels.newInputStream(channel)) {
            if (channel.size() > maxBytes) {
                throw new RedisStreamsNonRetryableException(file.getFileName() + " has " + channel.size()
                                                            + " bytes, more than clamd accepts (media.antivirus.clamd.max-bytes="
                                                            + maxBytes + ")");
            }
            return new ScanVerdict(ENGINE, ClamdReply.threat(client.instream(in)));
        }
    }

    String address() {
        return address;
    }

    /** {@code PONG}, or an exception saying why clamd cannot be used. */
    String ping() throws IOException {
        String reply = client.ping();
        if (!"PONG".equals(reply)) {
            throw new IOException("clamd answered PING with '" + reply + "'");
        }
        return reply;
    }
}
