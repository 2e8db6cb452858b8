package io.streamroutes.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * STARTTLS in front of a plain SMTP server (GreenMail has SMTPS but no STARTTLS): adds {@code STARTTLS} to the
 * server's EHLO answer, answers the command itself, upgrades the client connection with {@code tls} and from then on
 * passes the bytes through. Every command a client sent before the upgrade is kept ({@link #cleartextCommands()}), so a
 * test can show that no credentials travelled in clear.
 */
public final class StartTlsFront implements AutoCloseable {

    private final ServerSocket server;
    private final int backendPort;
    private final SSLContext tls;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final List<String> cleartextCommands = new CopyOnWriteArrayList<>();

    public StartTlsFront(int backendPort, SSLContext tls) throws IOException {
        this.backendPort = backendPort;
        this.tls = tls;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        threads.execute(this::accept);
    }

    public int port() {
        return server.getLocalPort();
    }

    public List<String> cleartextCommands() {
        return cleartextCommands;
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                threads.execute(() -> serve(client));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket client) {
        try (client; Socket backend = new Socket(InetAddress.getLoopbackAddress(), backendPort)) {
            InputStream fromClient = client.getInputStream();
            OutputStream toClient = client.getOutputStream();
            InputStream fromBackend = backend.getInputStream();
            OutputStream toBackend = backend.getOutputStream();
            relayReply(fromBackend, toClient, false);
            while (true) {
                String command = readLine(fromClient);
                if (command == null) {
                    return;
                }
                cleartextCommands.add(command);
                String verb = command.split(" ", 2)[0].toUpperCase(Locale.ROOT);
                if (verb.equals("STARTTLS")) {
                    write(toClient, "220 Ready to start TLS\r\n");
                    SSLSocket secure = (SSLSocket) tls.getSocketFactory().createSocket(client, null, client.getPort(), false);
                    secure.setUseClientMode(false);
                    secure.startHandshake();
                    threads.execute(() -> pump(fromBackend, secureOut(secure)));
                    pump(secure.getInputStream(), toBackend);
                    return;
                }
                write(toBackend, command + "\r\n");
                relayReply(fromBackend, toClient, verb.equals("EHLO"));
            }
        } catch (IOException e) {
            // the client or the server closed the connection
        }
    }

    private static OutputStream secureOut(SSLSocket socket) {
        try {
            return socket.getOutputStream();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Copies one (multi-line) reply; to an EHLO answer it adds STARTTLS as the second line. */
    private static void relayReply(InputStream in, OutputStream out, boolean offerStartTls) throws IOException {
        boolean first = true;
        while (true) {
            String line = readLine(in);
            if (line == null) {
                throw new IOException("server closed the connection");
            }
            boolean last = line.length() < 4 || line.charAt(3) != '-';
            if (offerStartTls && first) {
                write(out, line.substring(0, 3) + "-" + line.substring(Math.min(4, line.length())) + "\r\n");
                write(out, line.substring(0, 3) + (last ? " " : "-") + "STARTTLS\r\n");
                if (last) {
                    return;
                }
            } else {
                write(out, line + "\r\n");
            }
            first = false;
            if (last) {
                return;
            }
        }
    }

    private static void pump(InputStream in, OutputStream out) {
        byte[] buffer = new byte[8192];
        try {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // one side closed
        } finally {
            try {
                out.close();
            } catch (IOException e) {
                // already closed
            }
        }
    }

    /** One CRLF-terminated line, read byte by byte so nothing after it (the TLS handshake) is consumed. */
    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\n') {
                String s = line.toString(StandardCharsets.US_ASCII);
                return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
            }
            line.write(b);
        }
        return null;
    }

    private static void write(OutputStream out, String s) throws IOException {
        out.write(s.getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    @Override
    public void close() throws IOException {
        server.close();
        threads.shutdownNow();
    }
}
