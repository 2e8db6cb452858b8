package io.streamroutes.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The project's Markdown pages, their shell commands and their relative links, for the tests that keep them true. */
final class MarkdownPages {

    /** Fences whose every line is a shell command. */
    private static final Set<String> SHELL_FENCES = Set.of("bash", "sh", "shell", "console");
    /** In any other fence (log output, redis-cli commands, …) a line starting so is a shell command too. */
    private static final List<String> SHELL_STARTS = List.of("mvn ", "java ", "./", "curl ", "unzip ", "bench/");
    private static final Set<String> NOT_SHELL_FENCES = Set.of("yaml", "properties", "json", "text", "mermaid");
    /** Outside fences, an inline code span that is a whole command line. */
    private static final Pattern INLINE_COMMAND = Pattern.compile("`((?:mvn|java|curl|unzip) [^`]+|(?:\\./)?bench/[^`\\s]+\\.sh[^`]*)`");
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");

    record Command(Path page, int line, String text) {
        @Override
        public String toString() {
            return page + ":" + line + ": " + text;
        }
    }

    record Link(Path page, int line, String target) {
        @Override
        public String toString() {
            return page + ":" + line + ": " + target;
        }
    }

    private MarkdownPages() {
    }

    /** README.md, CONTRIBUTING.md and every page under docs/. */
    static List<Path> pages() {
        List<Path> pages = new ArrayList<>(List.of(Path.of("README.md"), Path.of("CONTRIBUTING.md")));
        try (Stream<Path> docs = Files.walk(Path.of("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return pages;
    }

    static List<String> lines(Path page) {
        try {
            return Files.readAllLines(page, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The shell commands in fenced blocks (continuation lines joined, comments and prompts dropped, spaces collapsed)
     * and those written inline as a code span starting with mvn, java, curl, unzip, or a bench/*.sh script.
     */
    static List<Command> shellCommands(Path page) {
        List<Command> commands = new ArrayList<>();
        List<String> lines = lines(page);
        String fence = null;
        StringBuilder pending = null;
        int pendingLine = 0;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            String trimmed = line.strip();
            if (trimmed.startsWith("```")) {
                fence = fence == null ? trimmed.substring(3).strip().toLowerCase() : null;
                continue;
            }
            if (fence == null) {
                Matcher inline = INLINE_COMMAND.matcher(line);
                while (inline.find()) {
                    commands.add(new Command(page, i + 1, normalize(inline.group(1))));
                }
                continue;
            }
            if (NOT_SHELL_FENCES.contains(fence)) {
                continue;
            }
            String text = withoutComment(trimmed.startsWith("$ ") ? trimmed.substring(2) : trimmed);
            if (pending == null) {
                boolean command = SHELL_FENCES.contains(fence) || SHELL_STARTS.stream().anyMatch(text::startsWith);
                if (!command || text.isEmpty()) {
                    continue;
                }
                pending = new StringBuilder();
                pendingLine = i + 1;
            }
            boolean continues = text.endsWith("\\");
            pending.append(continues ? text.substring(0, text.length() - 1) : text).append(' ');
            if (!continues) {
                commands.add(new Command(page, pendingLine, normalize(pending.toString())));
                pending = null;
            }
        }
        return commands;
    }

    static String normalize(String command) {
        return command.strip().replaceAll("\\s+", " ");
    }

    /** The line up to a {@code #} comment that is outside quotes (a shell comment starts a word). */
    static String withoutComment(String line) {
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote != 0) {
                quote = c == quote ? 0 : quote;
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == '#' && (i == 0 || Character.isWhitespace(line.charAt(i - 1)))) {
                return line.substring(0, i).strip();
            }
        }
        return line.strip();
    }

    /** The anchors GitHub gives the page's headings: lower case, punctuation dropped, spaces to hyphens, repeats numbered. */
    static Set<String> anchors(Path page) {
        Set<String> anchors = new HashSet<>();
        boolean inFence = false;
        for (String line : lines(page)) {
            if (line.strip().startsWith("```")) {
                inFence = !inFence;
            } else if (!inFence && line.startsWith("#")) {
                String slug = line.replaceFirst("^#+\\s*", "").strip().toLowerCase()
                        .replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-');
                String anchor = slug;
                for (int n = 1; !anchors.add(anchor); n++) {
                    anchor = slug + "-" + n;
                }
            }
        }
        return anchors;
    }

    /** Links to files of the repository or to headings (not URLs), outside code. */
    static List<Link> relativeLinks(Path page) {
        List<Link> links = new ArrayList<>();
        List<String> lines = lines(page);
        boolean inFence = false;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.strip().startsWith("```")) {
                inFence = !inFence;
                continue;
            }
            if (inFence) {
                continue;
            }
            Matcher m = LINK.matcher(line.replaceAll("`[^`]*`", ""));
            while (m.find()) {
                String target = m.group(1);
                if (!target.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*")) {
                    links.add(new Link(page, i + 1, target));
                }
            }
        }
        return links;
    }
}
