package io.streamroutes.app;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import io.streamroutes.embedded.EmbeddedRedis;
import io.streamroutes.testsupport.JarProcess;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real jar with the shipped application.properties (only Redis and the two ports, free ones, given): probes,
 * metrics, Jolokia and the streams page on loopback; readiness follows Redis going away and coming back.
 */
class OperateOverHttpJarIT {

    static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    static int status(String url) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    static String body(String url, String accept) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("Accept", accept).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    @Test
    void probesMetricsJolokiaAndPageOnLoopbackAndReadinessFollowsRedis() throws Exception {
        int management = EmbeddedRedis.freePort();
        int server = EmbeddedRedis.freePort();
        String observe = "http://127.0.0.1:" + management + "/observe";
        try (EmbeddedRedis redis = EmbeddedRedis.start();
             JarProcess app = JarProcess.start(List.of("-Dcamel.component.redis-streams.host=" + redis.host(),
                     "-Dcamel.component.redis-streams.port=" + redis.port(), "-Dcamel.management.port=" + management,
                     "-Dcamel.server.port=" + server))) {
            app.awaitOutput(Pattern.compile("\\) started in "), 90_000);
            await().atMost(Duration.ofSeconds(30)).until(() -> status(observe + "/health/ready") == 200);
            assertEquals(200, status(observe + "/health/live"));

            String metrics = body(observe + "/metrics", "text/plain;version=0.0.4;q=0.5,*/*;q=0.1");
            for (String stream : new String[] { "notify:events", "media:tasks", "business:events", "integration:tasks" }) {
                for (String name : new String[] { "redis_streams_delivered_total", "redis_streams_acked_total", "redis_streams_failed_total",
                        "redis_streams_claimed_total", "redis_streams_dead_lettered_total", "redis_streams_pending", "redis_streams_lag",
                        "redis_streams_dead_letter_length" }) {
                    assertTrue(Pattern.compile("(?m)^" + name + "\\{[^}]*stream=\"" + stream + "\"").matcher(metrics).find(),
                            name + " for " + stream + ":\n" + metrics);
                }
            }
            assertTrue(metrics.contains("jvm_memory_used_bytes") && metrics.contains("camel_exchanges_total"), metrics);

            String jolokia = body(observe + "/jolokia/read/io.streamroutes:type=stream,key=%22notify:events%22,group=%22notify-workers%22/PendingCount",
                    "application/json");
            assertTrue(jolokia.contains("\"value\":0") && jolokia.contains("\"status\":200"), jolokia);

            String page = body("http://127.0.0.1:" + server + "/streams", "text/html");
            for (String stream : new String[] { "notify:events", "media:tasks", "business:events", "integration:tasks" }) {
                assertTrue(page.contains("data-stream=\"" + stream + "\""), page);
            }

            // loopback only: not reachable on this host's other addresses
            Optional<InetAddress> other = NetworkInterface.networkInterfaces().flatMap(NetworkInterface::inetAddresses)
                    .filter(a -> !a.isLoopbackAddress() && !a.isLinkLocalAddress()).findFirst();
            if (other.isPresent()) {
                for (int port : new int[] { management, server }) {
                    assertFalse(connects(other.get(), port), "port " + port + " answers on " + other.get());
                }
            } else {
                System.out.println("no non-loopback address on this host: the loopback binding is not checked");
            }

            long stopped = System.nanoTime();
            redis.stopServer();
            await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(250)).until(() -> status(observe + "/health/ready") == 503);
            long down = (System.nanoTime() - stopped) / 1_000_000;
            assertEquals(200, status(observe + "/health/live"), "Redis down is no reason to restart the JVM");
            long started = System.nanoTime();
            redis.startServer();
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250)).until(() -> status(observe + "/health/ready") == 200);
            long up = (System.nanoTime() - started) / 1_000_000;
            System.out.printf("readiness: 503 %d ms after Redis stopped, 200 %d ms after it started again%n", down, up);
        }
    }

    private static boolean connects(InetAddress address, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(address, port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
