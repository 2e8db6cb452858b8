package io.streamroutes.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
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
import io.streamroutes.app.Scenarios;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Keeps deploy/ true to the application: every file parses; what kustomize builds from deploy/kubernetes
 * ({@link KustomizeBuild}) is one Deployment per scenario, each running that scenario alone, with its own pods, budget and
 * KEDA ScaledObject on the stream and group that scenario's route consumes; each Deployment's grace period exceeds
 * camel.main.shutdown-timeout and its probes use the health paths; every environment variable it sets is one the
 * application reads and every Secret key it references is in the example Secret; every redis_streams_* metric a
 * dashboard or alert uses is one the component registers (AsDeployedJarIT checks them against a running jar).
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

    /** The Deployments kustomize builds from deploy/kubernetes: one per scenario. */
    public static List<Map<String, Object>> deployments() throws IOException {
        return KustomizeBuild.of(KustomizeBuild.build(DEPLOY.resolve("kubernetes")), "Deployment");
    }

    /** The built Deployment of one scenario, e.g. {@code analytics}. */
    public static Map<String, Object> deployment(String scenario) throws IOException {
        return deployments().stream().filter(d -> KustomizeBuild.name(d).equals("redis-stream-routes-" + scenario)).findFirst()
                .orElseThrow(() -> new AssertionError("no Deployment redis-stream-routes-" + scenario));
    }

    @Test
    void deploymentProbesGraceAndEnvironment() throws Exception {
        List<Map<String, Object>> deployments = deployments();
        assertEquals(Scenarios.SETTINGS_PREFIXES.size(), deployments.size(), "one per scenario");
        for (Map<String, Object> deployment : deployments) {
            checkDeployment(deployment);
        }
    }

    private static void checkDeployment(Map<String, Object> deployment) throws IOException {
        Map<String, Object> pod = at(deployment, "spec", "template", "spec");
        int grace = at(pod, "terminationGracePeriodSeconds");
        int shutdownTimeout = Integer.parseInt(settings().getProperty("camel.main.shutdown-timeout").strip());
        assertTrue(grace > shutdownTimeout + 5, "grace " + grace + " s vs shutdown timeout " + shutdownTimeout + " s");
        Map<String, Object> container = at(pod, "containers", "0");
        assertEquals("/observe/health/live", at(container, "livenessProbe", "httpGet", "path"));
        assertEquals("/observe/health/ready", at(container, "readinessProbe", "httpGet", "path"));
        assertEquals(9876, (int) at(container, "ports", "0", "containerPort"));
        assertEquals("9876", at(deployment, "spec", "template", "metadata", "annotations", "prometheus.io/port"));
        Map<String, String> selector = at(deployment, "spec", "selector", "matchLabels");
        Map<String, String> podLabels = at(deployment, "spec", "template", "metadata", "labels");
        assertTrue(podLabels.entrySet().containsAll(selector.entrySet()), "the selector selects the pods: " + selector + " " + podLabels);

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
        List<String> args = at(container, "args");
        assertTrue(args.containsAll(List.of("-Dcamel.management.host=0.0.0.0", "-Dcamel.management.authentication-enabled=true", "-jar")));
        assertTrue(args.stream().filter(a -> a.startsWith("-D")).allMatch(a -> args.indexOf(a) < args.indexOf("-jar")),
                "settings go before -jar: " + args);
    }

    /** The scenarios a Deployment runs: those its arguments do not turn off ({@code -D<prefix>.enabled=false}). */
    static List<String> scenariosRun(Map<String, Object> deployment) throws IOException {
        List<String> args = at(deployment, "spec", "template", "spec", "containers", "0", "args");
        Properties settings = settings();
        return Scenarios.SETTINGS_PREFIXES.stream().filter(p -> !args.contains("-D" + p + ".enabled=false")
                                                                && Boolean.parseBoolean(settings.getProperty(p + ".enabled", "true").strip())).toList();
    }

    /** "stream group" of every consuming route, by the scenario whose {@code <prefix>.enabled} starts it. */
    @SuppressWarnings("unchecked")
    static Map<String, Set<String>> consumedByScenario() throws IOException {
        Map<String, Set<String>> consumed = new HashMap<>();
        Pattern enabledBy = Pattern.compile("\\{\\{(\\w+)\\.enabled");
        try (Stream<Path> routes = Files.list(Path.of("routes"))) {
            for (Path file : routes.filter(f -> f.toString().endsWith(".yaml")).toList()) {
                for (Object item : (List<Object>) new Load(LoadSettings.builder().build()).loadFromString(Files.readString(file))) {
                    Map<String, Object> route = at(item, "route");
                    String uri = route == null ? null : at(route, "from", "uri");
                    Matcher scenario = enabledBy.matcher(String.valueOf(route == null ? null : route.get("autoStartup")));
                    if (uri != null && uri.startsWith("redis-streams:") && scenario.find() && at(route, "from", "parameters", "group") != null) {
                        consumed.computeIfAbsent(scenario.group(1), k -> new HashSet<>())
                                .add(uri.substring("redis-streams:".length()) + " " + at(route, "from", "parameters", "group"));
                    }
                }
            }
        }
        return consumed;
    }

    @Test
    void eachScenarioDeploymentHasTheScaledObjectOfItsStreamAndGroup() throws Exception {
        List<Map<String, Object>> built = KustomizeBuild.build(DEPLOY.resolve("kubernetes"));
        Map<String, Set<String>> consumed = consumedByScenario();
        assertEquals(Set.copyOf(Scenarios.SETTINGS_PREFIXES), consumed.keySet(), "every scenario consumes a stream: " + consumed);
        Map<String, Map<String, Object>> deployments = new HashMap<>();
        Set<Map<String, String>> selectors = new HashSet<>();
        for (Map<String, Object> deployment : KustomizeBuild.of(built, "Deployment")) {
            deployments.put(KustomizeBuild.name(deployment), deployment);
            assertTrue(selectors.add(at(deployment, "spec", "selector", "matchLabels")), "Deployments select each other's pods");
            assertEquals(1, scenariosRun(deployment).size(), KustomizeBuild.name(deployment) + " runs " + scenariosRun(deployment));
        }
        List<Map<String, Object>> scaled = KustomizeBuild.of(built, "ScaledObject");
        assertEquals(deployments.size(), scaled.size(), "one ScaledObject per Deployment");
        Set<String> targets = new HashSet<>();
        for (Map<String, Object> object : scaled) {
            String target = at(object, "spec", "scaleTargetRef", "name");
            assertTrue(deployments.containsKey(target), target + " is not a Deployment kustomize builds: " + deployments.keySet());
            assertTrue(targets.add(target), "KEDA allows one ScaledObject per Deployment: " + target);
            String scenario = scenariosRun(deployments.get(target)).get(0);
            Map<String, Object> trigger = at(object, "spec", "triggers", "0");
            assertEquals("redis-streams", trigger.get("type"));
            Map<String, Object> metadata = at(trigger, "metadata");
            String pair = metadata.get("stream") + " " + metadata.get("consumerGroup");
            assertTrue(consumed.get(scenario).contains(pair), target + " runs " + scenario + ", which consumes " + consumed.get(scenario)
                                                              + ", not " + pair);
            assertTrue(metadata.containsKey("lagCount") || metadata.containsKey("pendingEntriesCount"), metadata.toString());
            assertEquals("redis-stream-routes", at(object, "metadata", "namespace"));
        }
        List<Map<String, Object>> budgets = KustomizeBuild.of(built, "PodDisruptionBudget");
        assertEquals(deployments.size(), budgets.size(), "one PodDisruptionBudget per Deployment");
        for (Map<String, Object> budget : budgets) {
            Map<String, String> selects = at(budget, "spec", "selector", "matchLabels");
            assertEquals(1, deployments.values().stream().filter(d -> DeployFilesTest.<Map<String, String>>at(d, "spec", "template",
                    "metadata", "labels").entrySet().containsAll(selects.entrySet())).count(), "one Deployment's pods per budget: " + selects);
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
