package io.streamroutes.docs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Writes the option and header tables of docs/component.md from the component's metadata (redis-streams.json, which
 * camel-package-maven-plugin generates from the annotations), between marker comments, as Camel's own component pages
 * are generated. The rest of the page is written by hand.
 * <p>
 * Run with {@link #REGENERATE_COMMAND} (or this class's main) after an option or header changed.
 */
public final class ComponentReferenceTables {

    public static final Path METADATA = Path.of("src/generated/resources/META-INF/io/streamroutes/component/redisstreams/redis-streams.json");
    public static final Path PAGE = Path.of("docs/component.md");
    /** One command: test-compile regenerates the metadata (process-classes), the test then rewrites the page. */
    public static final String REGENERATE_COMMAND =
            "mvn -B -ntp -o test-compile surefire:test -Dtest=ComponentReferencePageTest -Ddocs.regenerate=true";

    /** Table name in the markers → section of redis-streams.json. */
    static final Map<String, String> TABLES = Map.of(
            "component-options", "componentProperties",
            "endpoint-options", "properties",
            "headers", "headers");

    private static final Pattern BLOCK = Pattern.compile(
            "(<!-- BEGIN GENERATED ([a-z-]+)[^>]*-->\n)(.*?)(<!-- END GENERATED \\2 -->)", Pattern.DOTALL);

    private ComponentReferenceTables() {
    }

    public static void main(String[] args) throws IOException {
        Path page = args.length > 0 ? Path.of(args[0]) : PAGE;
        Files.writeString(page, regenerate(Files.readString(page, StandardCharsets.UTF_8), readMetadata()), StandardCharsets.UTF_8);
        System.out.println("regenerated the tables of " + page + " from " + METADATA);
    }

    static JsonNode readMetadata() throws IOException {
        return new ObjectMapper().readTree(METADATA.toFile());
    }

    /** The page with every marked block replaced by the table the metadata gives; fails on an unknown or missing block. */
    static String regenerate(String page, JsonNode metadata) {
        Map<String, String> seen = new LinkedHashMap<>();
        Matcher m = BLOCK.matcher(page);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(2);
            String section = TABLES.get(name);
            if (section == null) {
                throw new IllegalArgumentException("unknown generated block '" + name + "' (known: " + TABLES.keySet() + ")");
            }
            seen.put(name, section);
            String table = name.equals("headers") ? headerTable(metadata.get(section)) : optionTable(metadata.get(section));
            m.appendReplacement(out, Matcher.quoteReplacement(m.group(1) + table + m.group(4)));
        }
        m.appendTail(out);
        if (!seen.keySet().containsAll(TABLES.keySet())) {
            throw new IllegalArgumentException("page lacks generated blocks: expected markers for " + TABLES.keySet() + ", found " + seen.keySet());
        }
        return out.toString();
    }

    static String optionTable(JsonNode options) {
        StringBuilder table = new StringBuilder("| option | group | default | type | description |\n|---|---|---|---|---|\n");
        for (Iterator<Map.Entry<String, JsonNode>> it = options.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> option = it.next();
            JsonNode o = option.getValue();
            String name = "`" + option.getKey() + "`" + (o.path("required").asBoolean() ? " (required)" : "")
                    + (o.path("secret").asBoolean() ? " (secret)" : "");
            String type = o.path("type").asText();
            if (o.has("enum")) {
                StringBuilder values = new StringBuilder();
                o.get("enum").forEach(v -> values.append(values.length() == 0 ? "" : ", ").append(v.asText()));
                type += " (" + values + ")";
            }
            table.append("| ").append(name)
                    .append(" | ").append(o.path("group").asText())
                    .append(" | ").append(o.has("defaultValue") ? "`" + o.get("defaultValue").asText() + "`" : "")
                    .append(" | ").append(type)
                    .append(" | ").append(cell(o.path("description").asText()))
                    .append(o.path("deprecated").asBoolean() ? " Deprecated." : "")
                    .append(" |\n");
        }
        return table.toString();
    }

    static String headerTable(JsonNode headers) {
        StringBuilder table = new StringBuilder("| header | set by | Java type | description |\n|---|---|---|---|\n");
        for (Iterator<Map.Entry<String, JsonNode>> it = headers.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> header = it.next();
            JsonNode h = header.getValue();
            String group = h.path("group").asText();
            table.append("| `").append(header.getKey()).append("` | ")
                    .append(group.equals("common") ? "consumer, producer" : group)
                    .append(" | `").append(h.path("javaType").asText()).append("` | ")
                    .append(cell(h.path("description").asText())).append(" |\n");
        }
        return table.toString();
    }

    /** Markdown table cell: one line, no column breaks. */
    static String cell(String text) {
        return text.replace("\r", "").replace("\n", " ").replace("|", "\\|").strip();
    }
}
