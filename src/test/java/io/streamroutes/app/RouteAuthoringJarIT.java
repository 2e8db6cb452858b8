package io.streamroutes.app;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

import io.streamroutes.embedded.EmbeddedRedis;
import io.streamroutes.testsupport.BrokenRouteFile;
import io.streamroutes.testsupport.JarProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What an engineer sees for a broken route file: at start, and from {@code validate}, with the packaged jar. */
class RouteAuthoringJarIT {

    @TempDir
    Path dir;

    /** One of each kind of mistake, with the line the message must point at. */
    private List<Case> brokenFiles() throws IOException {
        List<Case> cases = new ArrayList<>();
        BrokenRouteFile syntax = BrokenRouteFile.write(dir, "media-syntax.yaml", "media.yaml",
                "      steps:\n        - choice:", "     steps:\n        - choice:", "steps");
        cases.add(new Case(syntax, syntax.lineOf("     steps:") + ":6"));
        BrokenRouteFile option = BrokenRouteFile.write(dir, "analytics-option.yaml", "analytics.yaml",
                "group: analytics", "gruop: analytics", "gruop");
        cases.add(new Case(option, Integer.toString(option.lineOf("gruop"))));
        BrokenRouteFile placeholder = BrokenRouteFile.write(dir, "analytics-placeholder.yaml", "analytics.yaml",
                "{{analytics.block-ms:5000}}", "{{analytics.block-msec}}", "analytics.block-msec");
        cases.add(new Case(placeholder, Integer.toString(placeholder.lineOf("{{analytics.block-msec}}"))));
        BrokenRouteFile bean = BrokenRouteFile.write(dir, "analytics-bean.yaml", "analytics.yaml",
                "ref: dailyReports", "ref: dailyReport", "dailyReport");
        cases.add(new Case(bean, Integer.toString(bean.lineOf("ref: dailyReport"))));
        return cases;
    }

    private record Case(BrokenRouteFile broken, String line) {

        /** file:line[:column]: ...; key: the key — on one line. */
        Pattern message(String prefix) {
            return Pattern.compile("(?m)^" + Pattern.quote(prefix + broken.file().toAbsolutePath() + ":" + line + ":")
                                   + ".*; key: " + Pattern.quote(broken.key()) + "$");
        }
    }

    @Test
    void startWithABrokenRouteFileExitsOneWithFileLineAndKeyOnOneLine() throws Exception {
        int closedPort = EmbeddedRedis.freePort();
        for (Case c : brokenFiles()) {
            try (JarProcess app = JarProcess.start(List.of(
                    "-Dcamel.main.routes-include-pattern=file:" + c.broken().file().toAbsolutePath(),
                    "-Dcamel.component.redis-streams.port=" + closedPort))) {
                assertEquals(1, app.waitForExit(60_000), app.output());
                assertTrue(c.message("redis-stream-routes: ").matcher(app.output()).find(),
                        "no line matching " + c.message("redis-stream-routes: ") + " in:\n" + app.output());
            }
        }
    }

    @Test
    void validateReportsEveryBrokenFileAndExitsOne() throws Exception {
        List<Case> cases = brokenFiles();
        java.nio.file.Files.copy(Path.of("routes", "analytics.yaml"), dir.resolve("analytics.yaml"));
        try (JarProcess validate = JarProcess.start(List.of(), "validate", dir.toString())) {
            assertEquals(1, validate.waitForExit(120_000), validate.output());
            String output = validate.output();
            for (Case c : cases) {
                assertTrue(c.message("FAILED  ").matcher(output).find(), "no line matching " + c.message("FAILED  ") + " in:\n" + output);
            }
            assertTrue(output.contains("OK      " + dir.resolve("analytics.yaml") + " (routes: analytics-events, analytics-replay)"), output);
            assertTrue(output.contains("4 of 5 route file(s) FAILED"), output);
        }
    }

    /** Redis, SMTP, the push gateway and the payment provider all point at one listening socket: nobody may connect. */
    @Test
    void validateAcceptsTheShippedRoutesWithoutConnectingAnywhere() throws Exception {
        try (ServerSocket listener = new ServerSocket(0)) {
            AtomicInteger connections = new AtomicInteger();
            Thread acceptor = new Thread(() -> {
                while (!listener.isClosed()) {
                    try (Socket s = listener.accept()) {
                        connections.incrementAndGet();
                    } catch (SocketException closed) {
                        return;
                    } catch (IOException e) {
                        connections.incrementAndGet();
                    }
                }
            });
            acceptor.start();
            String url = "http://127.0.0.1:" + listener.getLocalPort();
            try (JarProcess validate = JarProcess.start(List.of(
                    "-Dcamel.component.redis-streams.host=127.0.0.1",
                    "-Dcamel.component.redis-streams.port=" + listener.getLocalPort(),
                    "-Dnotify.smtp.host=127.0.0.1", "-Dnotify.smtp.port=" + listener.getLocalPort(),
                    "-Dnotify.push.url=" + url + "/push",
                    "-Dintegration.provider.stripe.url=" + url), "validate")) {
                assertEquals(0, validate.waitForExit(120_000), validate.output());
                String output = validate.output();
                for (String file : new String[] { "analytics", "integration", "media", "notifications" }) {
                    assertTrue(output.contains("OK      routes/" + file + ".yaml"), output);
                }
                assertTrue(output.contains("4 route file(s) OK"), output);
            }
            assertEquals(0, connections.get(), "validate connected to Redis, SMTP or HTTP");
        }
    }
}
