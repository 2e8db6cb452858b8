package io.streamroutes.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** A copy of one of the repository's route files with one mistake put in, as an engineer might make it. */
public record BrokenRouteFile(Path file, String key) {

    /** Copies {@code routes/<source>} to {@code dir/<name>}, replacing the first {@code original} by {@code mistake}. */
    public static BrokenRouteFile write(Path dir, String name, String source, String original, String mistake, String key)
            throws IOException {
        String text = Files.readString(Path.of("routes", source));
        int at = text.indexOf(original);
        if (at < 0) {
            throw new IllegalStateException("routes/" + source + " no longer contains '" + original + "'");
        }
        Path file = dir.resolve(name);
        Files.writeString(file, text.substring(0, at) + mistake + text.substring(at + original.length()));
        return new BrokenRouteFile(file, key);
    }

    /** The 1-based number of the first line containing {@code text}. */
    public int lineOf(String text) throws IOException {
        List<String> lines = Files.readAllLines(file);
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(text)) {
                return i + 1;
            }
        }
        throw new IllegalStateException(file + " has no line containing " + text);
    }
}
