package io.streamroutes.docs;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every relative link of README.md, CONTRIBUTING.md and docs/ points to a file or folder that exists. */
class DocsLinksTest {

    @Test
    void everyRelativeLinkPointsToAnExistingFile() {
        List<String> broken = new ArrayList<>();
        int checked = 0;
        for (Path page : MarkdownPages.pages()) {
            for (MarkdownPages.Link link : MarkdownPages.relativeLinks(page)) {
                String file = link.target().replaceFirst("#.*$", "");
                String anchor = link.target().contains("#") ? link.target().substring(link.target().indexOf('#') + 1) : null;
                Path target = file.isEmpty() ? page
                        : (page.getParent() == null ? Path.of("") : page.getParent()).resolve(file).normalize();
                checked++;
                if (!Files.exists(target)) {
                    broken.add(link + " (no " + target + ")");
                } else if (anchor != null && target.toString().endsWith(".md") && !MarkdownPages.anchors(target).contains(anchor)) {
                    broken.add(link + " (no heading #" + anchor + " in " + target + ")");
                }
            }
        }
        assertTrue(checked > 20, "found only " + checked + " links: is the parser broken?");
        assertEquals(List.of(), broken, "broken links");
    }

    @Test
    void findsLinksOutsideCodeOnly() throws Exception {
        Path page = Files.createTempFile("links", ".md");
        Files.writeString(page, "# Live reload: `--dev`\n## Live reload: `--dev`\nsee [a](docs/a.md#x), [web](https://x.org), [here](#top), `[no](code.md)`\n"
                + "```\n[no](fenced.md)\n# not a heading\n```\n![img](p.png)\n");
        assertEquals(List.of("docs/a.md#x", "#top", "p.png"), MarkdownPages.relativeLinks(page).stream().map(MarkdownPages.Link::target).toList());
        assertEquals(Set.of("live-reload---dev", "live-reload---dev-1"), MarkdownPages.anchors(page));
        Files.delete(page);
    }
}
