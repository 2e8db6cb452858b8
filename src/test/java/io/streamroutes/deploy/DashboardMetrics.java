package io.streamroutes.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The metric names the Grafana dashboard and the Prometheus rules query (their PromQL parsed: label matchers, ranges,
 * grouping clauses, strings, functions and keywords taken out), and whether a Prometheus text scrape exposes each.
 */
final class DashboardMetrics {

    static final Path DASHBOARD = Path.of("deploy/grafana/redis-stream-routes-dashboard.json");
    static final Path RULES = Path.of("deploy/prometheus/redis-stream-routes-rules.yaml");
    /** Series Prometheus makes itself: no application exposes them. */
    static final Set<String> PROMETHEUS_OWN = Set.of("up", "ALERTS", "ALERTS_FOR_STATE", "scrape_duration_seconds",
            "scrape_samples_scraped", "scrape_samples_post_metric_relabeling", "scrape_series_added");
    static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "by", "without", "on", "ignoring", "group_left",
            "group_right", "offset", "bool", "inf", "nan", "atan2");

    private DashboardMetrics() {
    }

    /** Every expression of the dashboard's panels and of the alert and recording rules. */
    static List<String> expressions() throws IOException {
        List<String> found = new ArrayList<>();
        for (JsonNode expr : new ObjectMapper().readTree(Files.readString(DASHBOARD)).findValues("expr")) {
            found.add(expr.asText());
        }
        Map<?, ?> rules = (Map<?, ?>) new Load(LoadSettings.builder().build()).loadFromString(Files.readString(RULES));
        for (Object group : (List<?>) rules.get("groups")) {
            for (Object rule : (List<?>) ((Map<?, ?>) group).get("rules")) {
                found.add(String.valueOf(((Map<?, ?>) rule).get("expr")));
            }
        }
        return found;
    }

    /** The metric names the dashboard and the rules use, without those Prometheus makes itself. */
    static Set<String> used() throws IOException {
        Set<String> names = new TreeSet<>();
        for (String expr : expressions()) {
            names.addAll(metricNames(expr));
        }
        names.removeAll(PROMETHEUS_OWN);
        return names;
    }

    /** The metric names in one PromQL expression. */
    static Set<String> metricNames(String promql) {
        String rest = promql.replaceAll("\"(\\\\.|[^\"\\\\])*\"|'(\\\\.|[^'\\\\])*'", " ") // strings
                .replaceAll("\\{[^}]*}", " ")                                                  // label matchers
                .replaceAll("\\[[^]]*]", " ")                                                  // ranges, subqueries
                .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ");
        Set<String> names = new TreeSet<>();
        Matcher token = Pattern.compile("(?<![\\w:.$])[a-zA-Z_:][\\w:]*(?![\\w:])(\\s*\\()?").matcher(rest);
        while (token.find()) {
            String name = token.group().replaceAll("\\s*\\($", "");
            if (token.group(1) == null && !KEYWORDS.contains(name.toLowerCase())) {
                names.add(name);
            }
        }
        return names;
    }

    /**
     * The used names a scrape (Prometheus text or OpenMetrics) has no sample of. Sample names carry their suffixes
     * ({@code _total}, {@code _bucket}, {@code _sum}, {@code _count}), so each used name is compared as it is: {@code x_count}
     * is found only where a summary or histogram {@code x} exposes it, never because a gauge {@code x} exists.
     */
    static Set<String> missing(Set<String> used, String scrape) {
        Set<String> samples = new TreeSet<>();
        for (String line : scrape.lines().toList()) {
            if (!line.isBlank() && !line.startsWith("#")) {
                samples.add(line.split("[{ ]", 2)[0]);
            }
        }
        Set<String> missing = new TreeSet<>(used);
        missing.removeAll(samples);
        return missing;
    }
}
