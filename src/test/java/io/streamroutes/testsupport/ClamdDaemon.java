package io.streamroutes.testsupport;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;

import io.streamroutes.embedded.EmbeddedRedis;

import static org.awaitility.Awaitility.await;

/**
 * Debian's clamd ({@code apt-get install clamav-daemon}) started in the foreground on a free TCP port of 127.0.0.1,
 * with its own config, log and temp directory and a one-line signature database written here (no freshclam, no
 * download): an MD5 hash signature of the EICAR test file, reported as {@value #THREAT}. Tests that use it are skipped,
 * with the reason printed, where clamd is not installed (they fail instead under CI: {@link InstalledTools}).
 */
public final class ClamdDaemon implements AutoCloseable {

    public static final String CLAMD = "/usr/sbin/clamd";
    public static final String EICAR = "X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*";
    /** clamd appends {@code .UNOFFICIAL} to signatures of a database it does not know. */
    public static final String THREAT = "Test-EICAR-HDB.UNOFFICIAL";

    private final Path dir;
    private final int port;
    private Process process;

    private ClamdDaemon(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    /** Skips the calling test (fails it under CI) when clamd is not installed. */
    public static void assumeInstalled() {
        InstalledTools.require(new File(CLAMD).canExecute(),
                "needs Debian's clamd at " + CLAMD + " (apt-get install clamav-daemon)");
    }

    /** Started and answering PING, on a free port, StreamMaxLength {@code streamMaxLength} (clamd syntax, e.g. 1M). */
    public static ClamdDaemon start(Path dir, String streamMaxLength) throws IOException {
        return start(dir, EmbeddedRedis.freePort(), streamMaxLength);
    }

    public static ClamdDaemon start(Path dir, int port, String streamMaxLength) throws IOException {
        assumeInstalled();
        Files.createDirectories(dir.resolve("db"));
        Files.createDirectories(dir.resolve("tmp"));
        byte[] eicar = EICAR.getBytes(StandardCharsets.US_ASCII);
        Files.writeString(dir.resolve("db/test.hdb"), md5(eicar) + ":" + eicar.length + ":Test-EICAR-HDB\n");
        Files.writeString(dir.resolve("clamd.conf"), String.join("\n",
                "Foreground yes",
                "TCPSocket " + port,
                "TCPAddr 127.0.0.1",
                "DatabaseDirectory " + dir.resolve("db"),
                "TemporaryDirectory " + dir.resolve("tmp"),
                "LogFile " + dir.resolve("clamd.log"),
                "PidFile " + dir.resolve("clamd.pid"),
                "StreamMaxLength " + streamMaxLength,
                "SelfCheck 0",
                ""));
        ClamdDaemon daemon = new ClamdDaemon(dir, port);
        daemon.process = new ProcessBuilder(CLAMD, "-c", dir.resolve("clamd.conf").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("clamd.out").toFile()).start();
        try {
            await("clamd answering PING on port " + port).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                    .until(() -> {
                        if (!daemon.process.isAlive()) {
                            throw new IllegalStateException("clamd exited with " + daemon.process.exitValue() + ": "
                                                            + Files.readString(dir.resolve("clamd.out")));
                        }
                        return daemon.pings();
                    });
        } catch (RuntimeException e) {
            daemon.close();
            throw e;
        }
        return daemon;
    }

    public int port() {
        return port;
    }

    private boolean pings() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            socket.setSoTimeout(2000);
            OutputStream out = socket.getOutputStream();
            out.write("zPING\0".getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            return new String(in.readNBytes(4), StandardCharsets.US_ASCII).equals("PONG");
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() {
        ChildProcesses.stop(process, 10);
    }

    private static String md5(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(data));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
