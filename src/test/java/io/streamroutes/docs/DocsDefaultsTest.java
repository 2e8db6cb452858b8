package io.streamroutes.docs;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * application.properties is the one place a setting's default is stated: a settings table in the docs
 * ({@code | `key` / `key2` | `default` / `default2` | meaning |}) or a placeholder's fallback in a route file or the
 * application's code ({@code {{key:fallback}}}) that gives another value fails. Durations compare by value
 * ({@code 5m} = {@code 300000}).
 */
class DocsDefaultsTest {

    private static final Pattern ROW = Pattern.compile("^\\|([^|]+)\\|([^|]+)\\|");
    private static final Pattern CODE = Pattern.compile("`([^`]*)`");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([a-z][\\w.-]*):([^}]*)}}");
    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)?");

    static Properties shipped() throws IOException {
        Properties shipped = new Properties();
        try (Reader in = Files.newBufferedReader(Path.of("application.properties"), StandardCharsets.UTF_8)) {
            shipped.load(in);
        }
        return shipped;
    }

    @Test
    void everyPlaceholderFallbackIsTheShippedValue() throws IOException {
        Properties shipped = shipped();
        List<Path> sources = new ArrayList<>();
        try (Stream<Path> routes = Files.list(Path.of("routes")); Stream<Path> code = Files.walk(Path.of("src", "main", "java"))) {
            routes.filter(p -> p.toString().endsWith(".yaml")).forEach(sources::add);
            code.filter(p -> p.toString().endsWith(".java")).forEach(sources::add);
        }
        List<String> wrong = new ArrayList<>();
        int checked = 0;
        for (Path source : sources) {
            Matcher m = PLACEHOLDER.matcher(Files.readString(source, StandardCharsets.UTF_8));
            while (m.find()) {
                String value = shipped.getProperty(m.group(1));
                if (value == null) {
                    continue; // a setting application.properties leaves out (or comments out): the fallback is its default
                }
                checked++;
                if (!sameValue(value.strip(), m.group(2))) {
                    wrong.add(source + ": {{" + m.group(1) + ":" + m.group(2) + "}}, application.properties has '" + value.strip() + "'");
                }
            }
        }
        assertTrue(checked > 50, "checked only " + checked + " placeholders: is the pattern broken?");
        assertEquals(List.of(), wrong, "placeholder fallbacks that differ from application.properties");
    }

    @Test
    void everyDocumentedDefaultIsTheShippedValue() throws IOException {
        Properties shipped = shipped();
        List<String> wrong = new ArrayList<>();
        int checked = 0;
        for (Path page : MarkdownPages.pages()) {
            List<String> lines = MarkdownPages.lines(page);
            for (int i = 0; i < lines.size(); i++) {
                Matcher row = ROW.matcher(lines.get(i));
                if (!row.find()) {
                    continue;
                }
                List<String> keys = codeSpans(row.group(1));
                // the defaults column up to a remark in brackets, e.g. "`100` / `200` (Camel's own: `20` / `200`)"
                List<String> defaults = codeSpans(row.group(2).replaceFirst("\\(.*$", ""));
                if (keys.size() != defaults.size()) {
                    continue;
                }
                for (int k = 0; k < keys.size(); k++) {
                    String value = shipped.getProperty(keys.get(k));
                    if (value == null || value.isBlank()) {
                        continue;
                    }
                    checked++;
                    if (!sameValue(value.strip(), defaults.get(k))) {
                        wrong.add(page + ":" + (i + 1) + ": " + keys.get(k) + " documented as " + defaults.get(k)
                                  + ", application.properties has " + value.strip());
                    }
                }
            }
        }
        assertTrue(checked > 30, "checked only " + checked + " defaults: is the table pattern broken?");
        assertEquals(List.of(), wrong, "defaults in the docs that differ from application.properties");
    }

    @Test
    void durationsCompareByValue() {
        assertTrue(sameValue("5m", "300000"));
        assertTrue(sameValue("30s", "30000"));
        assertTrue(sameValue("usd", "usd"));
        assertTrue(!sameValue("5s", "6000") && !sameValue("1s", "2s") && !sameValue("10", "100"));
    }

    static boolean sameValue(String shipped, String documented) {
        if (shipped.equals(documented)) {
            return true;
        }
        Long a = millis(shipped);
        Long b = millis(documented);
        return a != null && a.equals(b);
    }

    static Long millis(String value) {
        Matcher m = DURATION.matcher(value);
        if (!m.matches()) {
            return null;
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2) == null ? "ms" : m.group(2)) {
            case "s" -> n * 1000;
            case "m" -> n * 60_000;
            case "h" -> n * 3_600_000;
            case "d" -> n * 86_400_000;
            default -> n;
        };
    }

    private static List<String> codeSpans(String cell) {
        List<String> spans = new ArrayList<>();
        Matcher m = CODE.matcher(cell);
        while (m.find()) {
            spans.add(m.group(1));
        }
        return spans;
    }
}
