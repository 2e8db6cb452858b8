package io.streamroutes.media;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * clamd's TCP protocol, one connection per command ({@code z}-prefixed, NUL-terminated commands and replies):
 * {@code PING} and {@code INSTREAM}, which sends the data as chunks of {@code <4-byte big-endian length><bytes>},
 * ended by a zero length. Every connect, read and chunk write is bounded by the timeout, so a hung clamd fails the
 * scan instead of blocking a worker: reads by the socket timeout, writes (which a socket timeout does not cover: they
 * block once clamd stops reading and the buffers are full) by a watchdog that closes the socket.
 */
final class ClamdClient {

    static final int CHUNK = 64 * 1024;
    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "clamd-write-watchdog");
        thread.setDaemon(true);
        return thread;
    });

    private final String host;
    private final int port;
    private final int timeoutMs;

    ClamdClient(String host, int port, int timeoutMs) {
        this.host = host;
        this.port = port;
        this.timeoutMs = timeoutMs;
    }

    /** {@code PONG} when clamd is up; an exception otherwise. */
    String ping() throws IOException {
        try (Socket socket = connect()) {
            socket.getOutputStream().write("zPING\0".getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            return readReply(socket.getInputStream());
        }
    }

    /** Streams {@code data} to clamd and returns its raw reply (see {@link ClamdReply}). */
    String instream(InputStream data) throws IOException {
        try (Socket socket = connect()) {
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream(), CHUNK + 4));
            try {
                out.write("zINSTREAM\0".getBytes(StandardCharsets.US_ASCII));
                byte[] buffer = new byte[CHUNK];
                int read;
                while ((read = data.readNBytes(buffer, 0, CHUNK)) > 0) {
                    writeGuarded(socket, out, buffer, read);
                }
                writeGuarded(socket, out, buffer, 0);
            } catch (IOException e) {
                if (socket.isClosed()) {
                    throw new IOException("clamd at " + host + ":" + port + " took no data for " + timeoutMs + " ms", e);
                }
                // clamd closes the connection after answering an over-limit stream: its reply says why
                String reply = tryReadReply(socket);
                if (reply != null) {
                    return reply;
                }
                throw new IOException("sending to clamd at " + host + ":" + port + " failed: " + e.getMessage(), e);
            }
            return readReply(socket.getInputStream());
        }
    }

    /** One length-prefixed chunk (length 0: the end), the socket closed if clamd does not take it within the timeout. */
    private void writeGuarded(Socket socket, DataOutputStream out, byte[] buffer, int length) throws IOException {
        ScheduledFuture<?> guard = WATCHDOG.schedule(() -> closeQuietly(socket), timeoutMs, TimeUnit.MILLISECONDS);
        try {
            out.writeInt(length);
            out.write(buffer, 0, length);
            out.flush();
        } finally {
            guard.cancel(false);
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // closing only to unblock the writer
        }
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress(host, port), timeoutMs);
            socket.setSoTimeout(timeoutMs);
            return socket;
        } catch (IOException e) {
            socket.close();
            throw new IOException("clamd at " + host + ":" + port + " unreachable: " + e.getMessage(), e);
        }
    }

    private static String tryReadReply(Socket socket) {
        try {
            String reply = readReply(socket.getInputStream());
            return reply.isEmpty() ? null : reply;
        } catch (IOException e) {
            return null;
        }
    }

    /** Up to the terminating NUL (or the end of the stream), at most 4 KiB. */
    private static String readReply(InputStream in) throws IOException {
        ByteArrayOutputStream reply = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) > 0 && reply.size() < 4096) {
            reply.write(b);
        }
        return reply.toString(StandardCharsets.UTF_8);
    }
}
