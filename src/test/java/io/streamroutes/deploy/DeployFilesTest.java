package io.streamroutes.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamroutes.app.EnvironmentCredentials;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Keeps deploy/ true to the application: every file parses; the Deployment's grace period exceeds
 * camel.main.shutdown-timeout and its probes use the health paths; every environment variable it sets is one the
 * application reads and every Secret key it references is in the example Secret; every stream and group of a KEDA
 * ScaledObject is one a route consumes; every redis_streams_* metric a dashboard or alert uses is one the component
 * registers.
 */
class DeployFilesTest {

    static final Path DEPLOY = Path.of("deploy");
    /** What the application and logback.xml read from the environment, besides the credentials. */
    static final Set<String> READ_VARIABLES = Set.of("REDIS_USERNAME", "REDIS_PASSWORD", "LOG_FORMAT", "LOG_LEVEL", "LOG_LEVELS_FILE");

    static List<Path> files() throws IOException {
        try (Stream<Path> walk = Files.walk(DEPLOY)) {
            return walk.filter(Files::isRegularFile).sorted().toList();
        }
    }

    @SuppressWarnings("unchecked")
    public static List<Map<String, Object>> documents(String kind) throws IOException {
        List<Map<String, Object>> found = new ArrayList<>();
        for (Path file : files()) {
            if (file.toString().endsWith(".yaml")) {
                for (Object doc : new Load(LoadSettings.builder().build()).loadAllFromString(Files.readString(file))) {
                    if (doc instanceof Map<?, ?> map && kind.equals(map.get("kind"))) {
                        found.add((Map<String, Object>) map);
                    }
                }
            }
        }
        return found;
    }

    @SuppressWarnings("unchecked")
    public static <T> T at(Object node, String... path) {
        Object current = node;
        for (String key : path) {
            current = current instanceof Map<?, ?> map ? map.get(key) : current instanceof List<?> list ? list.get(Integer.parseInt(key)) : null;
        }
        return (T) current;
    }

    static Properties settings() throws IOException {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(Path.of("application.properties"))) {
            p.load(in);
        }
        return p;
    }

    @Test
    void everyFileParses() throws Exception {
        List<Path> files = files();
        assertTrue(files.size() >= 8, files.toString());
        for (Path file : files) {
            String text = Files.readString(file);
            if (file.toString().endsWith(".json")) {
                new ObjectMapper().readTree(text);
            } else {
                assertTrue(file.toString().endsWith(".yaml"), "only YAML and JSON under deploy/: " + file);
                new Load(LoadSettings.builder().build()).loadAllFromString(text).forEach(doc -> { });
            }
        }
    }

    @Test
    void everyFileKustomizeReadsExists() throws Exception {
        Matcher file = Pattern.compile("=(\\.\\./\\.\\./\\S+)").matcher(Files.readString(DEPLOY.resolve("kubernetes/kustomization.yaml")));
        int n = 0;
        while (file.find()) {
            n++;
            assertTrue(Files.isRegularFile(DEPLOY.resolve("kubernetes").resolve(file.group(1))), file.group(1));
        }
        assertTrue(n >= 5, "application.properties and the four routes");
    }

    @Test
    void deploymentProbesGraceAndEnvironment() throws Exception {
        List<Map<String, Object>> deployments = documents("Deployment");
        assertEquals(1, deployments.size());
        Map<String, Object> pod = at(deployments.get(0), "spec", "template", "spec");
        int grace = at(pod, "terminationGracePeriodSeconds");
        int shutdownTimeout = Integer.parseInt(settings().getProperty("camel.main.shutdown-timeout").strip());
        assertTrue(grace > shutdownTimeout + 5, "grace " + grace + " s vs shutdown timeout " + shutdownTimeout + " s");
        Map<String, Object> container = at(pod, "containers", "0");
        assertEquals("/observe/health/live", at(container, "livenessProbe", "httpGet", "path"));
        assertEquals("/observe/health/ready", at(container, "readinessProbe", "httpGet", "path"));
        assertEquals(9876, (int) at(container, "ports", "0", "containerPort"));
        assertEquals("9876", at(deployments.get(0), "spec", "template", "metadata", "annotations", "prometheus.io/port"));

        Map<String, Object> secret = at(documents("Secret").get(0), "stringData");
        List<Map<String, Object>> env = at(container, "env");
        Set<String> names = new HashSet<>();
        for (Map<String, Object> variable : env) {
            String name = (String) variable.get("name");
            names.add(name);
            boolean credential = EnvironmentCredentials.variableFor("notify.smtp.username").equals(name)
                                 || EnvironmentCredentials.variableFor("notify.smtp.password").equals(name)
                                 || name.matches("PROVIDER_[A-Z0-9_]+_API_KEY");
            assertTrue(READ_VARIABLES.contains(name) || credential, name + " is not read by the application");
            String key = at(variable, "valueFrom", "secretKeyRef", "key");
            if (key != null) {
                assertTrue(secret.containsKey(key), "the example Secret has no " + key);
            }
        }
        for (String needed : new String[] { "REDIS_USERNAME", "REDIS_PASSWORD", "SMTP_USERNAME", "SMTP_PASSWORD", "PROVIDER_STRIPE_API_KEY" }) {
            assertTrue(names.contains(needed), "the Deployment does not set " + needed);
        }
        assertTrue(((List<String>) at(container, "args")).containsAll(List.of("-Dcamel.management.host=0.0.0.0",
                "-Dcamel.management.authentication-enabled=true", "-jar")));
    }

    @Test
    void scaledObjectsNameConsumedStreamsAndGroups() throws Exception {
        Set<String> consumed = new HashSet<>();
        Pattern from = Pattern.compile("uri: \"?redis-streams:([^\\s\"]+)\"?\\s+parameters:\\s+group: (\\S+)");
        try (Stream<Path> routes = Files.list(Path.of("routes"))) {
            for (Path route : routes.toList()) {
                Matcher m = from.matcher(Files.readString(route));
                while (m.find()) {
                    consumed.add(m.group(1) + " " + m.group(2));
                }
            }
        }
        List<Map<String, Object>> scaled = documents("ScaledObject");
        assertEquals(4, scaled.size(), "one per scenario");
        for (Map<String, Object> object : scaled) {
            Map<String, Object> trigger = at(object, "spec", "triggers", "0");
            assertEquals("redis-streams", trigger.get("type"));
            Map<String, Object> metadata = at(trigger, "metadata");
            String pair = metadata.get("stream") + " " + metadata.get("consumerGroup");
            assertTrue(consumed.contains(pair), pair + " is not consumed by a route: " + consumed);
            assertTrue(metadata.containsKey("lagCount") || metadata.containsKey("pendingEntriesCount"), metadata.toString());
        }
    }

    @Test
    void dashboardAndAlertsUseMetricsTheComponentRegisters() throws Exception {
        String meters = Files.readString(Path.of("src/main/java/io/streamroutes/component/redisstreams/RedisStreamsMeters.java"));
        Set<String> registered = new HashSet<>();
        Matcher name = Pattern.compile("\"(redis\\.streams\\.[a-z.]+)\"").matcher(meters);
        while (name.find()) {
            registered.add(name.group(1).replace('.', '_'));
        }
        assertFalse(registered.isEmpty());
        Set<String> used = DashboardMetrics.used();
        assertTrue(used.size() >= 8, used.toString());
        // a quick check against the source; AsDeployedJarIT checks every used name against a running jar's scrape
        for (String metric : used) {
            assertTrue(metric.startsWith("redis_streams_"), metric + ": only the component's meters are used");
            assertTrue(registered.contains(metric) || registered.contains(metric.replaceFirst("_(total|seconds)$", "")),
                    metric + " is not a meter of RedisStreamsMeters: " + registered);
        }
    }

    @Test
    void metricNamesOfPromqlAndWhetherAScrapeExposesThem() {
        assertEquals(Set.of("redis_streams_acked_total"),
                DashboardMetrics.metricNames("sum by (stream, group) (rate(redis_streams_acked_total{stream=\"a:b\", group=~\"x|y\"}[1m]))"));
        assertEquals(Set.of("redis_streams_lag"),
                DashboardMetrics.metricNames("min_over_time(redis_streams_lag[10m]) > 0 and deriv(redis_streams_lag[10m] offset 5m) > 0"));
        assertEquals(Set.of("http_seconds_bucket"),
                DashboardMetrics.metricNames("histogram_quantile(0.99, sum without (instance) (rate(http_seconds_bucket[5m:1m])))"));
        assertEquals(Set.of("a_total", "b", "up"), DashboardMetrics.metricNames("a_total / on (job) group_left b unless up{job=\"r\"} == 0"));
        String scrape = """
                # HELP http_seconds a timer
                # TYPE http_seconds histogram
                http_seconds_bucket{le="0.1"} 1.0
                http_seconds_count 1.0
                http_seconds_sum 0.05
                # TYPE redis_streams_pending gauge
                redis_streams_pending{group="g",stream="s"} 0.0
                # TYPE redis_streams_acked_total counter
                redis_streams_acked_total{group="g",stream="s"} 3.0
                """;
        assertEquals(Set.of(), DashboardMetrics.missing(Set.of("http_seconds_bucket", "http_seconds_count", "redis_streams_pending",
                "redis_streams_acked_total"), scrape));
        assertEquals(Set.of("redis_streams_pending_count", "redis_streams_acked", "http_seconds", "redis_streams_lag"),
                DashboardMetrics.missing(Set.of("redis_streams_pending_count", "redis_streams_acked", "http_seconds", "redis_streams_lag",
                        "http_seconds_sum"), scrape), "suffixes are compared as they are, a wrong name is missing");
    }
}
