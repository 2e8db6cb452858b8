package io.streamroutes.demo;

import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

import javax.imageio.ImageIO;
import javax.management.MBeanServer;
import javax.management.ObjectName;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.streamroutes.component.redisstreams.RedisStreamsEndpoint;
import io.streamroutes.embedded.EmbeddedRedis;
import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.StreamEntryID;

/**
 * {@code --demo}: the four scenarios end to end on one machine with nothing installed: an embedded Redis, an
 * in-process SMTP server, HTTP stand-ins for the push gateway and the payment provider, sample images, the seed's
 * events plus a few failing ones; progress per stream (the streams the loaded routes read, with their dead-letter
 * streams), then a summary. The application that runs the routes is given: the demo knows nothing of the commands.
 */
public final class DemoMode {

    /** Short retry times so a failing entry visibly goes through retries and the dead-letter stream within seconds. */
    static final String MIN_IDLE_MS = "1500";
    static final String CLAIM_INTERVAL_MS = "500";
    static final String MAX_DELIVERIES = "3";

    private final PrintStream out;
    private final Supplier<Main> application;
    private final List<String> scenarioPrefixes;
    private final Consumer<Runnable> onStopSignal;

    /**
     * @param application      the application's camel-main, not started (the demo overrides its connections)
     * @param scenarioPrefixes the scenarios' settings prefixes, whose retry times the demo shortens
     * @param onStopSignal     registers what SIGTERM / Ctrl-C runs
     */
    public DemoMode(PrintStream out, Supplier<Main> application, List<String> scenarioPrefixes, Consumer<Runnable> onStopSignal) {
        this.out = out;
        this.application = application;
        this.scenarioPrefixes = List.copyOf(scenarioPrefixes);
        this.onStopSignal = onStopSignal;
    }

    /** Runs the demo until a stop signal, or for {@code exitAfterSeconds} when that is 0 or more; returns the exit code. */
    public int run(long exitAfterSeconds) throws Exception {
        long started = System.currentTimeMillis();
        out.println("redis-stream-routes demo: starting embedded Redis, SMTP and HTTP stand-ins ...");
        try (EmbeddedRedis redis = EmbeddedRedis.start();
             DemoHttpStandIns http = DemoHttpStandIns.start();
             JmxRemote jmx = JmxRemote.start(EmbeddedRedis.freePort());
             Jedis jedis = new Jedis(redis.host(), redis.port())) {
            GreenMail smtp = new GreenMail(new ServerSetup(EmbeddedRedis.freePort(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
            smtp.start();
            Path mediaRoot = Files.createTempDirectory("redis-stream-routes-demo-media");
            Main main = application.get();
            try {
                writeSampleImages(mediaRoot);
                jedis.hset("user:123", "email", "user123@example.com");
                main.setOverrideProperties(properties(redis, smtp, http, mediaRoot));
                main.start();
                Map<String, String> streams = readStreams(main.getCamelContext());
                printWhereToLook(redis, jmx, mediaRoot, main);
                seedEvents(jedis);
                watchProgress(jedis, streams, started, exitAfterSeconds);
                printSummary(jedis, streams, smtp, http, mediaRoot);
                waitForExit(exitAfterSeconds, started);
            } finally {
                main.stop();
                smtp.stop();
            }
        }
        out.println("demo stopped");
        return 0;
    }

    /** The streams the loaded routes read, each with its dead-letter stream (null when it has none), in route order. */
    private static Map<String, String> readStreams(CamelContext context) {
        Map<String, String> streams = new LinkedHashMap<>();
        context.getRoutes().forEach(route -> {
            if (route.getEndpoint() instanceof RedisStreamsEndpoint endpoint) {
                streams.put(endpoint.getStreamKey(), endpoint.getConfiguration().getDeadLetterStream());
            }
        });
        return streams;
    }

    private Properties properties(EmbeddedRedis redis, GreenMail smtp, DemoHttpStandIns http, Path mediaRoot) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("camel.component.redis-streams.host", redis.host());
        p.put("camel.component.redis-streams.port", Integer.toString(redis.port()));
        p.put("notify.smtp.host", "127.0.0.1");
        p.put("notify.smtp.port", Integer.toString(smtp.getSmtp().getPort()));
        p.put("notify.smtp.security", "none"); // the in-process stand-in speaks plain SMTP
        p.put("notify.push.url", http.baseUrl() + "/push");
        p.put("media.root", mediaRoot.toString());
        p.put("integration.provider.stripe.url", http.baseUrl());
        // -Dcamel.server.port=0 (as the tests run it): a free port the demo can print (a JVM system property, as they win)
        for (String port : new String[] { "camel.server.port", "camel.management.port" }) {
            if ("0".equals(System.getProperty(port))) {
                System.setProperty(port, Integer.toString(EmbeddedRedis.freePort()));
            }
        }
        for (String scenario : scenarioPrefixes) {
            p.put(scenario + ".min-idle-time-ms", MIN_IDLE_MS);
            p.put(scenario + ".claim-interval-ms", CLAIM_INTERVAL_MS);
            p.put(scenario + ".max-deliveries", MAX_DELIVERIES);
            p.put(scenario + ".block-ms", "1000");
            p.put(scenario + ".consumer", "demo-worker");
        }
        Properties properties = new Properties();
        properties.putAll(p);
        return properties;
    }

    private static void writeSampleImages(Path root) throws IOException {
        Path originals = Files.createDirectories(root.resolve("originals"));
        BufferedImage image = new BufferedImage(2400, 1600, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setPaint(new GradientPaint(0, 0, Color.ORANGE, 2400, 1600, Color.BLUE));
        g.fillRect(0, 0, 2400, 1600);
        g.dispose();
        ImageIO.write(image, "png", originals.resolve("789").toFile());
    }

    private void seedEvents(Jedis jedis) {
        out.println();
        out.println("Adding the scenarios' events (as redis-cli XADD would), plus some that fail:");
        add(jedis, "notify:events", "user_id", "123", "type", "email", "template", "welcome");
        add(jedis, "notify:events", "user_id", "123", "type", "push", "template", "promo");
        add(jedis, "notify:events", "user_id", "123", "type", "email", "template", "no_such_template");
        add(jedis, "media:tasks", "user_id", "456", "file_id", "789", "action", "resize");
        add(jedis, "media:tasks", "user_id", "456", "file_id", "789", "action", "preview");
        add(jedis, "media:tasks", "user_id", "456", "file_id", "789", "action", "antivirus");
        add(jedis, "media:tasks", "user_id", "456", "file_id", "404", "action", "resize");
        add(jedis, "business:events", "type", "order_created", "order_id", "1001", "user_id", "123");
        add(jedis, "business:events", "type", "order_paid", "order_id", "1001", "user_id", "123", "amount", "1999");
        add(jedis, "integration:tasks", "provider", "stripe", "action", "create_charge", "user_id", "123", "amount", "1999");
        add(jedis, "integration:tasks", "provider", "stripe", "action", "create_charge", "user_id",
                DemoHttpStandIns.FLAKY_CUSTOMER, "amount", "500");
        add(jedis, "integration:tasks", "provider", "stripe", "action", "create_charge", "user_id",
                DemoHttpStandIns.REJECTED_CUSTOMER, "amount", "400");
        add(jedis, "integration:tasks", "provider", "stripe", "action", "create_charge", "user_id",
                DemoHttpStandIns.LIMITED_CUSTOMER, "amount", "503");
        out.println();
    }

    private void add(Jedis jedis, String key, String... fieldsAndValues) {
        Map<String, String> fields = new LinkedHashMap<>();
        StringBuilder cli = new StringBuilder("  XADD " + key + " *");
        for (int i = 0; i < fieldsAndValues.length; i += 2) {
            fields.put(fieldsAndValues[i], fieldsAndValues[i + 1]);
            cli.append(' ').append(fieldsAndValues[i]).append(' ').append(fieldsAndValues[i + 1]);
        }
        StreamEntryID id = jedis.xadd(key, StreamEntryID.NEW_ENTRY, fields);
        out.println(cli + "   -> " + id);
    }

    /** Prints a line per stream every second until nothing is pending or undelivered (at most 60 s, or the exit time). */
    private void watchProgress(Jedis jedis, Map<String, String> streams, long started, long exitAfterSeconds) throws Exception {
        long deadline = exitAfterSeconds >= 0 ? started + exitAfterSeconds * 1000 : System.currentTimeMillis() + 60_000;
        Map<String, StreamFigures> figures;
        do {
            Thread.sleep(1000);
            figures = StreamFigures.read(jedis, streams);
            out.printf("[%5.1fs]", (System.currentTimeMillis() - started) / 1000.0);
            figures.forEach((key, f) -> out.printf("  %s %d/%d processed, %d pending, %d dead |", key, f.processed(), f.length(),
                    f.pending(), f.deadLettered()));
            out.println();
        } while (System.currentTimeMillis() < deadline && !figures.values().stream().allMatch(StreamFigures::settled));
    }

    private void printSummary(Jedis jedis, Map<String, String> streams, GreenMail smtp, DemoHttpStandIns http, Path mediaRoot) throws IOException {
        Map<String, StreamFigures> figures = StreamFigures.read(jedis, streams);
        out.println();
        out.println("Summary");
        out.printf("  %-20s %9s %9s %9s %13s%n", "stream", "entries", "processed", "pending", "dead-lettered");
        figures.forEach((key, f) -> out.printf("  %-20s %9d %9d %9d %13d%n", key, f.length(), f.processed(), f.pending(), f.deadLettered()));
        out.println("  mails received by the SMTP stand-in: " + smtp.getReceivedMessages().length
                    + ", push requests: " + http.pushes() + ", charges accepted by the provider stand-in: " + http.charges());
        List<Long> limited = http.callTimes(DemoHttpStandIns.LIMITED_CUSTOMER);
        if (limited.size() >= 2) {
            out.printf("  Retry-After: the provider answered 503 with Retry-After: 1 for customer %s; the task was retried %d ms later, "
                       + "and no other task was started meanwhile%n", DemoHttpStandIns.LIMITED_CUSTOMER, limited.get(1) - limited.get(0));
        }
        try (var files = Files.walk(mediaRoot.resolve("derived"))) {
            out.println("  media files written: " + files.filter(Files::isRegularFile).map(mediaRoot::relativize).toList());
        } catch (IOException e) {
            out.println("  media files written: none");
        }
        out.println("  reports: " + new TreeMap<>(jedis.keys("report:daily:*").stream()
                .collect(java.util.stream.Collectors.toMap(k -> k, jedis::hgetAll))));
        for (String dl : streams.values().stream().filter(java.util.Objects::nonNull).toList()) {
            jedis.xrange(dl, (StreamEntryID) null, (StreamEntryID) null).forEach(e -> out.println(
                    "  dead letter " + dl + " " + e.getID() + ": " + e.getFields().get("x-error")));
        }
        out.println();
    }

    private void printWhereToLook(EmbeddedRedis redis, JmxRemote jmx, Path mediaRoot, Main main) throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        out.println();
        var page = main.configure().httpServer();
        if (page.isEnabled()) {
            out.println("Streams page: http://" + page.getHost() + ":" + page.getPort() + "/streams");
        }
        var management = main.configure().httpManagementServer();
        if (management.isEnabled()) {
            String base = "http://" + management.getHost() + ":" + management.getPort();
            out.println("Health: " + base + "/observe/health/ready   metrics: " + base + "/observe/metrics   Jolokia: "
                        + base + "/observe/jolokia   dev console: " + base + "/q/dev/redis-streams");
        }
        out.println("Embedded Redis: redis-cli -h " + redis.host() + " -p " + redis.port()
                    + "   (e.g. XPENDING notify:events notify-workers, XRANGE integration:dead-letter - +)");
        out.println("JMX (jconsole/VisualVM, loopback only): " + jmx.url());
        for (ObjectName name : server.queryNames(new ObjectName("io.streamroutes:*"), null)) {
            out.println("  MBean " + name);
        }
        out.println("  Camel route statistics under org.apache.camel:type=routes,*");
        out.println("Media root: " + mediaRoot);
    }

    private void waitForExit(long exitAfterSeconds, long started) throws InterruptedException {
        CountDownLatch stop = new CountDownLatch(1);
        onStopSignal.accept(stop::countDown);
        if (exitAfterSeconds >= 0) {
            long remaining = exitAfterSeconds * 1000 - (System.currentTimeMillis() - started);
            out.println("Exiting after " + exitAfterSeconds + " s as asked ...");
            stop.await(Math.max(0, remaining), TimeUnit.MILLISECONDS);
        } else {
            out.println("Running. Press Ctrl-C to stop.");
            stop.await();
        }
    }
}
