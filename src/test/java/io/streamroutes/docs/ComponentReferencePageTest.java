package io.streamroutes.docs;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * docs/component.md's option and header tables are the component's metadata: fails when they disagree (an option
 * added, renamed, or its default or description changed without regenerating the page), and says how to regenerate.
 * With {@code -Ddocs.regenerate=true} it rewrites the tables instead.
 */
class ComponentReferencePageTest {

    @Test
    void tablesOfThePageAreTheComponentMetadata() throws Exception {
        String page = Files.readString(ComponentReferenceTables.PAGE, StandardCharsets.UTF_8);
        String expected = ComponentReferenceTables.regenerate(page, ComponentReferenceTables.readMetadata());
        if (Boolean.getBoolean("docs.regenerate")) {
            Files.writeString(ComponentReferenceTables.PAGE, expected, StandardCharsets.UTF_8);
            System.out.println("regenerated the tables of " + ComponentReferenceTables.PAGE);
            return;
        }
        if (!expected.equals(page)) {
            fail(ComponentReferenceTables.PAGE + " does not match " + ComponentReferenceTables.METADATA
                    + " (an option or header changed). Regenerate its tables with:\n  " + ComponentReferenceTables.REGENERATE_COMMAND
                    + "\n" + firstDifference(expected, page));
        }
    }

    private static String firstDifference(String expected, String page) {
        String[] want = expected.split("\n", -1);
        String[] have = page.split("\n", -1);
        for (int i = 0; i < Math.max(want.length, have.length); i++) {
            String w = i < want.length ? want[i] : "(end of page)";
            String h = i < have.length ? have[i] : "(end of page)";
            if (!w.equals(h)) {
                return "first difference, line " + (i + 1) + ":\n  metadata gives: " + w + "\n  page has:       " + h;
            }
        }
        return "";
    }

    @Test
    void everyOptionAndHeaderOfTheMetadataIsOnThePage() throws Exception {
        String page = Files.readString(ComponentReferenceTables.PAGE, StandardCharsets.UTF_8);
        JsonNode metadata = ComponentReferenceTables.readMetadata();
        for (String section : ComponentReferenceTables.TABLES.values()) {
            metadata.get(section).fieldNames().forEachRemaining(name ->
                    assertTrue(page.contains("| `" + name + "`"), name + " (" + section + ") is not in a table of " + ComponentReferenceTables.PAGE));
        }
    }

    @Test
    void rendersOneRowPerOptionWithItsDefaultAndEscapesColumnBreaks() throws Exception {
        JsonNode metadata = new ObjectMapper().readTree("""
                {"componentProperties": {"host": {"group": "common", "type": "string", "defaultValue": "localhost",
                    "description": "Redis host | name"}},
                 "properties": {"password": {"group": "security", "type": "string", "secret": true, "description": "Password.\\nNever logged."}},
                 "headers": {"CamelX": {"group": "common", "javaType": "String", "description": "X."}}}
                """);
        String page = "intro\n<!-- BEGIN GENERATED component-options -->\nold\n<!-- END GENERATED component-options -->\n"
                + "<!-- BEGIN GENERATED endpoint-options -->\n<!-- END GENERATED endpoint-options -->\n"
                + "<!-- BEGIN GENERATED headers -->\n<!-- END GENERATED headers -->\nend\n";

        String out = ComponentReferenceTables.regenerate(page, metadata);

        assertTrue(out.contains("| `host` | common | `localhost` | string | Redis host \\| name |\n"), out);
        assertTrue(out.contains("| `password` (secret) | security |  | string | Password. Never logged. |\n"), out);
        assertTrue(out.contains("| `CamelX` | consumer, producer | `String` | X. |\n"), out);
        assertTrue(out.startsWith("intro\n") && out.endsWith("end\n") && !out.contains("old"), out);
        assertEquals(out, ComponentReferenceTables.regenerate(out, metadata), "regenerating twice changes nothing");
        assertThrows(IllegalArgumentException.class, () -> ComponentReferenceTables.regenerate("no markers", metadata));
    }
}
