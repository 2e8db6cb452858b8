package io.streamroutes.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The demo is started by the application's command line and is given what it needs from it (the camel-main, the
 * scenario prefixes, the stop signal): no class of {@code io.streamroutes.demo} names {@code io.streamroutes.app}, so
 * the two packages form no cycle.
 */
class DemoDependenciesTest {

    static final Path DEMO = Path.of("src/main/java/io/streamroutes/demo");

    @Test
    void demoDoesNotDependOnTheApplication() throws IOException {
        List<Path> sources;
        try (Stream<Path> files = Files.list(DEMO)) {
            sources = files.filter(f -> f.toString().endsWith(".java")).toList();
        }
        assertFalse(sources.isEmpty(), "no sources in " + DEMO.toAbsolutePath());
        List<String> offenders = sources.stream().filter(DemoDependenciesTest::namesTheApplication).map(Path::toString).toList();
        assertEquals(List.of(), offenders, "io.streamroutes.demo must not depend on io.streamroutes.app");
    }

    private static boolean namesTheApplication(Path source) {
        try {
            return Files.readString(source).contains("io.streamroutes.app");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
