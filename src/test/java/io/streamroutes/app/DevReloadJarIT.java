package io.streamroutes.app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

import io.streamroutes.embedded.EmbeddedRedis;
import io.streamroutes.testsupport.JarProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.StreamEntryID;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code --dev} under load: events are added all the time while routes/analytics.yaml is edited, once correctly and
 * once with a mistake. The good edit reloads the route within seconds, the bad one is refused and the running
 * version keeps consuming; in the end every event was counted once and nothing is pending.
 */
class DevReloadJarIT {

    @TempDir
    Path workDir;

    @Test
    void editingARouteFileReloadsItWithoutLosingEntriesAndABrokenEditKeepsTheRunningVersion() throws Exception {
        Path routes = Files.createDirectories(workDir.resolve("routes"));
        Path file = routes.resolve("analytics.yaml");
        String original = Files.readString(Path.of("routes", "analytics.yaml"));
        Files.writeString(file, original);

        try (EmbeddedRedis redis = EmbeddedRedis.start();
             Jedis jedis = new Jedis(redis.host(), redis.port());
             JarProcess app = JarProcess.startIn(workDir, List.of("-Xmx384m",
                     "-Dcamel.component.redis-streams.host=" + redis.host(),
                     "-Dcamel.component.redis-streams.port=" + redis.port(),
                     "-Danalytics.consumer=worker-1"), "--dev")) {
            app.awaitOutput(Pattern.compile("Started analytics-events"), 60_000);
            app.awaitOutput(Pattern.compile("Live route reloading enabled"), 10_000);

            AtomicBoolean adding = new AtomicBoolean(true);
            AtomicInteger added = new AtomicInteger();
            Thread producer = new Thread(() -> {
                try (Jedis writer = new Jedis(redis.host(), redis.port())) {
                    while (adding.get()) {
                        int n = added.get();
                        writer.xadd("business:events", StreamEntryID.NEW_ENTRY,
                                Map.of("type", "order_created", "order_id", Integer.toString(n), "user_id", "1"));
                        added.incrementAndGet();
                        Thread.sleep(2); // a steady trickle of events
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            producer.start();
            try {
                Thread.sleep(1000); // the app consumes a while before the first edit
                // a good edit: bigger batches
                long saved = System.currentTimeMillis();
                String edited = original.replace("count: \"{{analytics.batch-size:1000}}\"", "count: 20");
                assertNotEquals(original, edited, "the edit changes the route's count");
                Files.writeString(file, edited);
                app.awaitOutput(Pattern.compile("Reloaded route file \\[routes/analytics.yaml\\] in \\d+ ms: routes \\[analytics-events"), 15_000);
                long reloadMs = System.currentTimeMillis() - saved;
                System.out.println("reload of analytics.yaml seen in the log " + reloadMs + " ms after saving");
                assertTrue(reloadMs < 5_000, "reload took " + reloadMs + " ms");
                assertTrue(app.output().contains("count=20"), "the new version runs:\n" + app.output());

                // a broken edit (misspelt option): refused, the running version keeps consuming
                Thread.sleep(500); // the second edit apart from the first
                Files.writeString(file, edited.replace("group: analytics", "gruop: analytics"));
                app.awaitOutput(Pattern.compile("Route file routes/analytics.yaml was NOT reloaded, the running version of its routes is kept: "
                                                + "routes/analytics.yaml:\\d+: unknown option gruop.*; key: gruop"), 15_000);
                long countedAtRefusal = counted(jedis);
                await("still consuming after the refused edit").atMost(Duration.ofSeconds(10)).pollInSameThread()
                        .untilAsserted(() -> assertTrue(counted(jedis) > countedAtRefusal, "still consuming after the refused edit:\n" + app.output()));
            } finally {
                adding.set(false);
                producer.join(5_000);
            }

            await("every added event counted").atMost(Duration.ofSeconds(30)).until(() -> counted(jedis) >= added.get());
            assertEquals(added.get(), counted(jedis), "every added event was counted");
            assertEquals(0, jedis.xpending("business:events", "analytics").getTotal(), "nothing left pending");
            long ordersCreated = jedis.keys("report:daily:*").stream()
                    .mapToLong(k -> Long.parseLong(jedis.hget(k, "orders_created"))).sum();
            assertEquals(added.get(), ordersCreated, "each event counted once");
            assertEquals(0, jedis.exists("business:dead-letter") ? jedis.xlen("business:dead-letter") : 0);

            app.terminate();
            assertEquals(0, app.waitForExit(45_000), app.output());
        }
    }

    private static long counted(Jedis jedis) {
        return jedis.keys("report:processed:*").stream().mapToLong(jedis::scard).sum();
    }
}
