package io.streamroutes.docs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every shell command shown in README.md, CONTRIBUTING.md and docs/ is run by a test or by .ci/run: a command that
 * {@link DocumentedCommands} does not list fails here, as does a listed runner that does not (or no longer) run it.
 */
class DocsCommandsTest {

    private static final Pattern TEST_SELECTION = Pattern.compile("-D(?:it\\.)?test=('[^']*'|\\S+)");

    @Test
    void everyDocumentedCommandIsRunByATestOrByCi() {
        List<String> uncovered = new ArrayList<>();
        int found = 0;
        for (Path page : MarkdownPages.pages()) {
            for (MarkdownPages.Command command : MarkdownPages.shellCommands(page)) {
                found++;
                if (!DocumentedCommands.COVERED.containsKey(command.text())) {
                    uncovered.add(command.toString());
                }
            }
        }
        assertTrue(found >= 10, "found only " + found + " commands: is the parser broken?");
        assertEquals(List.of(), uncovered, "commands in the docs that no test or CI step runs. Run each in a test (e.g. "
                + "DocumentedCommandsJarIT runs jar commands word for word) and list it in DocumentedCommands with that test");
    }

    @Test
    void everyListedCommandIsStillInTheDocs() {
        Set<String> documented = new HashSet<>();
        for (Path page : MarkdownPages.pages()) {
            MarkdownPages.shellCommands(page).forEach(command -> documented.add(command.text()));
        }
        assertEquals(List.of(), DocumentedCommands.COVERED.keySet().stream().filter(c -> !documented.contains(c)).toList(),
                "listed in DocumentedCommands but shown by no page: remove them there");
    }

    @Test
    void eachRunnerExistsAndRunsItsCommand() throws IOException {
        String ci = MarkdownPages.normalize(Files.readString(Path.of(".ci/run"), StandardCharsets.UTF_8));
        for (Map.Entry<String, DocumentedCommands.Coverage> e : DocumentedCommands.COVERED.entrySet()) {
            String command = e.getKey();
            DocumentedCommands.Coverage c = e.getValue();
            switch (c.kind()) {
                case CI -> assertTrue(ci.contains(c.evidence()), ".ci/run does not run '" + c.evidence() + "' (for: " + command + ")");
                case RUN_VERBATIM, RUN_BY_TEST -> {
                    Optional<Path> test = testSource(c.runner());
                    assertTrue(test.isPresent(), "no test class " + c.runner() + " (for: " + command + ")");
                    assertTrue(Files.readString(test.get(), StandardCharsets.UTF_8).contains(c.evidence()),
                            c.runner() + " does not contain " + c.evidence() + " (for: " + command + ")");
                }
                case MAVEN_TESTS -> {
                    List<String> selected = selectedTests(command);
                    assertTrue(!selected.isEmpty(), "names no test: " + command);
                    for (String pattern : selected) {
                        assertTrue(testSources().stream().anyMatch(source -> selects(pattern, source)),
                                "no test class matches " + pattern + " (in: " + command + ")");
                    }
                }
                case BENCHMARK_BY_HAND -> assertTrue(Files.isExecutable(Path.of(c.runner())), c.runner() + " is missing (for: " + command + ")");
            }
        }
    }

    @Test
    void componentSelectionsReachTheTestsOfEveryComponentPackage() throws IOException {
        List<Path> componentTests = testSources().stream()
                .filter(source -> source.startsWith("io/streamroutes/component") && source.getFileName().toString().endsWith("Test"))
                .toList();
        assertTrue(componentTests.contains(Path.of("io/streamroutes/component/redisstreams/consumer/support/RetryQueueTest")),
                "the component's tests are not where this test looks: " + componentTests);
        for (String command : List.of(DocumentedCommands.COMPONENT_TESTS, DocumentedCommands.COMPONENT_TESTS_ON_REDIS_7)) {
            List<Path> missed = componentTests.stream()
                    .filter(test -> selectedTests(command).stream().noneMatch(pattern -> selects(pattern, test))).toList();
            assertEquals(List.of(), missed, "not selected by: " + command);
        }
        assertFalse(selects("RedisStreams*Test", Path.of("io/streamroutes/component/redisstreams/consumer/BatchFillTest")));
        assertTrue(selects("RedisStreams*Test", Path.of("io/streamroutes/component/redisstreams/RedisStreamsRetryTest")));
    }

    @Test
    void readsCommandsFromShellFencesAndCommandLinesOfOtherFences() throws IOException {
        Path page = Files.createTempFile("commands", ".md");
        Files.writeString(page, String.join("\n",
                "inline `mvn -q verify` is a command, `kill -9` and `--demo` are not",
                "```bash",
                "mvn verify      # the tests",
                "# a comment line",
                "java -Da=b \\",
                "    -jar x.jar '#not-a-comment'",
                "```",
                "```",
                "XADD s * a b",
                "INFO a log line",
                "./bench/run.sh --quick",
                "```",
                "```properties",
                "java.x = 1",
                "```", ""));
        assertEquals(List.of("mvn -q verify", "mvn verify", "java -Da=b -jar x.jar '#not-a-comment'", "./bench/run.sh --quick"),
                MarkdownPages.shellCommands(page).stream().map(MarkdownPages.Command::text).toList());
        Files.delete(page);
    }

    /** The values of -Dtest= and -Dit.test=, split at commas, without Maven's "run nothing" names. */
    static List<String> selectedTests(String command) {
        List<String> names = new ArrayList<>();
        Matcher m = TEST_SELECTION.matcher(command);
        while (m.find()) {
            for (String name : m.group(1).replace("'", "").split(",")) {
                if (!List.of("none", "None", "NoSuchTest").contains(name)) {
                    names.add(name);
                }
            }
        }
        return names;
    }

    private static Optional<Path> testSource(String className) throws IOException {
        try (Stream<Path> files = Files.walk(Path.of("src/test/java"))) {
            return files.filter(p -> p.getFileName().toString().equals(className + ".java")).findFirst();
        }
    }

    /**
     * Whether surefire's {@code -Dtest} pattern selects a test class (its source path below src/test/java, without
     * ".java"): a pattern with a '/' is a path glob, a bare class-name pattern matches in any package.
     */
    static boolean selects(String pattern, Path testClass) {
        String glob = pattern.contains("/") ? pattern : "**/" + pattern;
        return FileSystems.getDefault().getPathMatcher("glob:" + glob).matches(testClass);
    }

    /** Every class below src/test/java as its path without ".java", e.g. io/streamroutes/docs/DocsCommandsTest. */
    private static List<Path> testSources() throws IOException {
        Path root = Path.of("src/test/java");
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".java")).map(root::relativize)
                    .map(p -> p.resolveSibling(p.getFileName().toString().replaceFirst("\\.java$", ""))).toList();
        }
    }
}
