package io.streamroutes.media;

import java.io.IOException;

import io.streamroutes.component.redisstreams.RedisStreamsNonRetryableException;

/**
 * What clamd's answer to {@code INSTREAM} means: {@code stream: OK} is clean, {@code stream: <name> FOUND} is
 * infected, {@code INSTREAM size limit exceeded. ERROR} is final for this file (it will never fit), any other
 * {@code ... ERROR} (or garbage) is a failure of the scan, retried later.
 */
final class ClamdReply {

    static final String SIZE_LIMIT = "INSTREAM size limit exceeded";

    private ClamdReply() {
    }

    /** The threat name, or {@code null} for a clean stream. */
    static String threat(String reply) throws IOException {
        String r = reply.strip();
        if (r.startsWith(SIZE_LIMIT)) {
            throw new RedisStreamsNonRetryableException("clamd rejected the file: " + r
                                                        + " (clamd's StreamMaxLength; see media.antivirus.clamd.max-bytes)");
        }
        if (r.endsWith(" ERROR")) {
            throw new IOException("clamd could not scan the file: " + r);
        }
        String body = r.startsWith("stream: ") ? r.substring("stream: ".length()) : null;
        if ("OK".equals(body)) {
            return null;
        }
        if (body != null && body.endsWith(" FOUND") && body.length() > " FOUND".length()) {
            return body.substring(0, body.length() - " FOUND".length());
        }
        throw new IOException("unexpected reply from clamd: '" + r + "'");
    }
}
