package io.streamroutes.docs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every scenario setting the docs name ({@code `notify.…`}, {@code `media.…`}, {@code `analytics.…`},
 * {@code `integration.…`}) is a key of application.properties or a placeholder of a route file: a renamed or removed
 * setting cannot stay documented.
 */
class DocsSettingsTest {

    private static final Pattern SETTING = Pattern.compile("`((?:notify|media|analytics|integration)\\.[a-z0-9.<>-]+)`");

    @Test
    void everyDocumentedSettingExists() throws IOException {
        StringBuilder known = new StringBuilder(Files.readString(Path.of("application.properties"), StandardCharsets.UTF_8));
        try (Stream<Path> routes = Files.list(Path.of("routes"))) {
            for (Path route : routes.filter(p -> p.toString().endsWith(".yaml")).toList()) {
                known.append(Files.readString(route, StandardCharsets.UTF_8));
            }
        }
        List<String> unknown = new ArrayList<>();
        int checked = 0;
        for (Path page : MarkdownPages.pages()) {
            Matcher m = SETTING.matcher(Files.readString(page, StandardCharsets.UTF_8));
            while (m.find()) {
                checked++;
                // integration.provider.<name>.url: any provider name
                String key = Pattern.quote(m.group(1)).replace("<name>", "\\E[A-Za-z0-9_-]+\\Q");
                if (!Pattern.compile(key).matcher(known).find()) {
                    unknown.add(page + ": " + m.group(1));
                }
            }
        }
        assertTrue(checked > 50, "found only " + checked + " settings: is the pattern broken?");
        assertEquals(List.of(), unknown, "settings in the docs that neither application.properties nor routes/*.yaml has");
    }
}
