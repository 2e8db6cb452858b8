package io.streamroutes.media;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.streamroutes.component.redisstreams.RedisStreamsNonRetryableException;
import io.streamroutes.embedded.EmbeddedRedis;
import io.streamroutes.testsupport.ClamdDaemon;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link ClamdScanner} against a real clamd (Debian's clamav-daemon) with the EICAR hash signature. */
class ClamdScannerTest {

    @TempDir
    static Path dir;
    static ClamdDaemon clamd;

    @BeforeAll
    static void start() throws IOException {
        clamd = ClamdDaemon.start(dir.resolve("clamd"), "1M");
    }

    @AfterAll
    static void stop() {
        if (clamd != null) {
            clamd.close();
        }
    }

    private static ClamdScanner scanner(long maxBytes) {
        return new ClamdScanner("127.0.0.1", clamd.port(), 10_000, maxBytes);
    }

    @Test
    void findsEicarAndPassesCleanFilesOfSeveralChunks() throws IOException {
        Path eicar = Files.writeString(dir.resolve("eicar.com"), ClamdDaemon.EICAR, StandardCharsets.US_ASCII);
        byte[] random = new byte[3 * ClamdClient.CHUNK + 123];
        new Random(7).nextBytes(random);
        Path clean = Files.write(dir.resolve("clean.bin"), random);
        Path empty = Files.write(dir.resolve("empty"), new byte[0]);
        ClamdScanner scanner = scanner(1024 * 1024);
        assertEquals(new VirusScanner.ScanVerdict("clamd", ClamdDaemon.THREAT), scanner.scan(eicar));
        assertFalse(scanner.scan(clean).infected());
        assertFalse(scanner.scan(empty).infected());
        assertEquals("PONG", scanner.ping());
    }

    @Test
    void aFileOverClamdsLimitIsAPermanentErrorWhetherCheckedHereOrByClamd() throws IOException {
        Path big = Files.write(dir.resolve("big.bin"), new byte[2 * 1024 * 1024]);
        RedisStreamsNonRetryableException local = assertThrows(RedisStreamsNonRetryableException.class,
                () -> scanner(1024 * 1024).scan(big));
        assertTrue(local.getMessage().contains("more than clamd accepts (media.antivirus.clamd.max-bytes=1048576)"), local.getMessage());
        // configured limit above clamd's own: clamd's answer decides, and it is not a hang nor a retry
        RedisStreamsNonRetryableException remote = assertThrows(RedisStreamsNonRetryableException.class,
                () -> scanner(10L * 1024 * 1024).scan(big));
        assertTrue(remote.getMessage().contains("INSTREAM size limit exceeded"), remote.getMessage());
    }

    @Test
    @Timeout(60)
    void aClamdThatStopsReadingTimesOutInsteadOfBlockingTheWorker() throws Exception {
        Path file = Files.write(dir.resolve("five-mb.bin"), new byte[5 * 1024 * 1024]);
        // a listener that accepts the connection and never reads: the writes fill the socket buffers and block
        ExecutorService acceptor = Executors.newSingleThreadExecutor();
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Future<Socket> accepted = acceptor.submit(silent::accept);
            ClamdScanner scanner = new ClamdScanner("127.0.0.1", silent.getLocalPort(), 500, 10L * 1024 * 1024);
            long start = System.nanoTime();
            IOException e = assertThrows(IOException.class, () -> scanner.scan(file));
            assertTrue(e.getMessage().contains("took no data for 500 ms"), e.getMessage());
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(20), "not bounded by the timeout");
            accepted.get(5, TimeUnit.SECONDS).close();
        } finally {
            acceptor.shutdownNow();
        }
    }

    @Test
    void unreachableClamdIsAnOrdinaryIoErrorSoTheTaskIsRetried() throws IOException {
        Path file = Files.writeString(dir.resolve("any.txt"), "hello");
        ClamdScanner nobody = new ClamdScanner("127.0.0.1", EmbeddedRedis.freePort(), 2_000, 1024);
        IOException e = assertThrows(IOException.class, () -> nobody.scan(file));
        assertTrue(e.getMessage().contains("unreachable"), e.getMessage());
        assertThrows(IOException.class, nobody::ping);
    }
}
