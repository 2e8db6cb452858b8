package io.streamroutes.docs;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * README.md, CONTRIBUTING.md and docs/ describe the product as it is: no commit hashes, issue numbers, branch names or
 * before/after stories (history belongs in commit messages).
 */
class DocsWithoutHistoryTest {

    /**
     * An abbreviated or full commit hash: 7–40 lower-case hex digits with at least one digit and one letter, as a whole
     * word. Not a colour ({@code #1f77b4}), not part of a longer token (a SHA-256 digest, a UUID, {@code 0x…}), not a
     * stream entry id ({@code 1700000000000-0}), not a plain number or a word such as {@code deadbeef}.
     */
    static final Pattern COMMIT_HASH = Pattern.compile(
            "(?<![\\w#./-])(?=[0-9a-f]*[0-9])(?=[0-9a-f]*[a-f])[0-9a-f]{7,40}(?![\\w-])");
    /** "issue 13", "Issues 11–12", "issue #4", "#13" (not an HTML entity, a link anchor or a colour). */
    static final Pattern ISSUE_NUMBER = Pattern.compile("(?i)\\bissues?\\s+#?\\d+|(?<![\\w&(/#])#\\d+\\b(?![\\w-])");
    static final Pattern BRANCH = Pattern.compile(
            "(?i)\\b(?:this|that|my|our|feature|topic|main|master|release)\\s+branch\\b|\\bon\\s+(?:the\\s+)?branch\\b");
    static final Pattern HISTORY = Pattern.compile("(?i)"
            + "\\b(?:before|after|since|until)\\s+the\\s+(?:change|fix|refactor\\w*|rewrite|split|switch)\\b"
            + "|\\bthis\\s+change\\b"
            + "|\\bused\\s+to\\s+be\\b|\\b(?:it|this|that|they|which|we)\\s+used\\s+to\\b"
            + "|\\b(?:earlier|previous|older)\\s+(?:versions?|releases?|commits?|code)\\b"
            + "|\\bpreviously\\b|\\bformerly\\b"
            + "|\\b(?:at|on|of)\\s+commit\\b|\\bthe\\s+commits?\\s+after\\b"
            + "|\\bwas\\s+in\\s+place\\b|\\bas\\s+before\\b|\\bthe\\s+issue'?s\\b");

    /** Pages whose owner is rewriting them right now; remove an entry as soon as its page passes. */
    static final Set<Path> NOT_CHECKED_YET = Set.of();

    record Finding(Path page, int line, String kind, String text) {
        @Override
        public String toString() {
            return page + ":" + line + ": " + kind + " '" + text + "'";
        }
    }

    @Test
    void pagesHoldNoHistory() {
        List<Finding> findings = new ArrayList<>();
        List<Path> pages = MarkdownPages.pages();
        for (Path page : pages) {
            if (NOT_CHECKED_YET.contains(page)) {
                continue;
            }
            findings.addAll(findings(page, MarkdownPages.lines(page)));
        }
        assertTrue(pages.size() > 10, "found only " + pages.size() + " pages");
        assertEquals(List.of(), findings.stream().map(Finding::toString).toList(),
                "history in the docs (commit messages hold it; the docs say what the product does now)");
    }

    @Test
    void flagsHashesIssuesBranchesAndStoriesOnly() throws Exception {
        Path page = Files.createTempFile("history", ".md");
        List<String> lines = List.of(
                "run at commit 3e88aa4, 2026-11-30", "full 0123456789abcdef0123456789abcdef01234567 hash",
                "see issue 13", "Issues 11–12 ask", "fixed in #13.", "on this branch", "it used to be slower",
                "Seen before the change: x", "keeps working as before", "the issue's bounds",
                // not history:
                "colour #1f77b4, id 1700000000000-0, entry 1764156400000-0", "sha256:"
                        + "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
                "uuid 123e4567-e89b-12d3-a456-426614174000, 0x7fffffff, deadbeef, 104857600",
                "[link](#1-setup), &#123;, a `when` branch of a choice, can no longer be replayed");
        List<Finding> found = findings(page, lines);
        assertEquals(List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10), found.stream().map(Finding::line).distinct().toList(), found.toString());
        Files.delete(page);
    }

    static List<Finding> findings(Path page, List<String> lines) {
        List<Finding> findings = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            find(findings, page, i + 1, "commit hash", COMMIT_HASH, lines.get(i));
            find(findings, page, i + 1, "issue number", ISSUE_NUMBER, lines.get(i));
            find(findings, page, i + 1, "branch", BRANCH, lines.get(i));
            find(findings, page, i + 1, "history", HISTORY, lines.get(i));
        }
        return findings;
    }

    private static void find(List<Finding> findings, Path page, int line, String kind, Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        while (m.find()) {
            findings.add(new Finding(page, line, kind, m.group()));
        }
    }
}
