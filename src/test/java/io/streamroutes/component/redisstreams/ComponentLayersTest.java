package io.streamroutes.component.redisstreams;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The component's packages are layers, each using only those below it: the public face (this package), the reader
 * ({@code consumer}), delivery decisions ({@code consumer.errorhandler}), the reader's bookkeeping
 * ({@code consumer.support}), the Redis commands ({@code client}). From the public face, lower layers may use only
 * what every layer shares (the statistics, the constants, the exceptions a route throws); the reader may also read
 * its options. No component class uses the application, and no constructor takes more than six parameters.
 */
class ComponentLayersTest {

    static final Path SOURCES = Path.of("src/main/java/io/streamroutes/component/redisstreams");
    static final String BASE = "io.streamroutes.component.redisstreams";
    /** Top to bottom; "" is the public face. */
    static final List<String> LAYERS = List.of("", "consumer", "consumer.errorhandler", "consumer.support", "client");
    /** Classes of the public face every layer may use: they use nothing of the component themselves. */
    static final Set<String> SHARED = Set.of("RedisStreamsStatistics", "RedisStreamsConstants", "RedisStreamsNonRetryableException",
            "RedisStreamsRetryAfterException", "RedisStreamsReplicasNotConfirmedException");
    /** The reader reads its options; nothing below it takes the configuration. */
    static final Set<String> READER_MAY_USE = Set.of("RedisStreamsConfiguration");
    static final int MAX_CONSTRUCTOR_PARAMETERS = 6;

    private static final Pattern REFERENCE = Pattern.compile("\\bio\\.streamroutes\\.([\\w.]+)");

    @Test
    void noPackageUsesALayerAboveItNorTheApplication() throws IOException {
        assertEquals(List.of(), layerViolations(SOURCES));
    }

    @Test
    void noConstructorTakesMoreThanSixParameters() throws IOException {
        assertEquals(List.of(), constructorsOverLimit(SOURCES));
    }

    @Test
    void aReferenceUpOrToTheApplicationIsFound(@TempDir Path sources) throws IOException {
        Files.createDirectories(sources.resolve("client"));
        Files.writeString(sources.resolve("client/Up.java"), """
                package io.streamroutes.component.redisstreams.client;

                import io.streamroutes.component.redisstreams.RedisStreamsConsumer;
                import io.streamroutes.component.redisstreams.RedisStreamsStatistics;
                import io.streamroutes.component.redisstreams.consumer.support.OutcomeQueue;

                // io.streamroutes.component.redisstreams.RedisStreamsEndpoint in a comment does not count
                class Up {
                    String uri = "io.streamroutes.app.Application in a string does not count";
                    Object app = io.streamroutes.app.Application.class;
                }
                """);
        assertEquals(List.of(
                BASE + ".client.Up uses " + BASE + ".RedisStreamsConsumer, a layer above",
                BASE + ".client.Up uses " + BASE + ".consumer.support.OutcomeQueue, a layer above",
                BASE + ".client.Up uses io.streamroutes.app.Application.class, outside the component"), layerViolations(sources));
    }

    @Test
    void aConstructorOverTheLimitIsFound() {
        List<String> over = new ArrayList<>();
        check(SevenParameters.class, over);
        assertEquals(List.of(SevenParameters.class.getName() + "(7 parameters)"), over);
    }

    record SevenParameters(int a, int b, int c, int d, int e, int f, int g) {
    }

    /** "{class} uses {referenced}" for each reference that climbs a layer or leaves the component. */
    static List<String> layerViolations(Path sources) throws IOException {
        List<String> violations = new ArrayList<>();
        for (Path file : javaFiles(sources)) {
            String layer = layerOf(sources.relativize(file.getParent()));
            String name = file.getFileName().toString().replace(".java", "");
            String from = BASE + (layer.isEmpty() ? "" : "." + layer) + "." + name;
            Matcher m = REFERENCE.matcher(code(Files.readString(file)).replaceFirst("package [\\w.]+;", ""));
            while (m.find()) {
                String referenced = "io.streamroutes." + m.group(1);
                if (!referenced.startsWith(BASE + ".")) {
                    violations.add(from + " uses " + referenced + ", outside the component");
                    continue;
                }
                String[] parts = referenced.substring(BASE.length() + 1).split("\\.");
                StringBuilder pkg = new StringBuilder();
                String type = null;
                for (String part : parts) {
                    if (Character.isUpperCase(part.charAt(0))) {
                        type = part;
                        break;
                    }
                    pkg.append(pkg.length() == 0 ? "" : ".").append(part);
                }
                String target = pkg.toString();
                if (!LAYERS.contains(target)) {
                    violations.add(from + " uses " + referenced + ", in no layer");
                } else if (LAYERS.indexOf(target) < LAYERS.indexOf(layer) && !allowedUp(layer, target, type)) {
                    violations.add(from + " uses " + referenced + ", a layer above");
                }
            }
        }
        return violations;
    }

    private static boolean allowedUp(String layer, String target, String type) {
        if (target.isEmpty() && SHARED.contains(type)) {
            return true;
        }
        return layer.equals("consumer") && target.isEmpty() && READER_MAY_USE.contains(type);
    }

    /** "{class}({n} parameters)" for each constructor, a record's canonical one included, over the limit. */
    static List<String> constructorsOverLimit(Path sources) throws IOException {
        List<String> over = new ArrayList<>();
        for (Path file : javaFiles(sources)) {
            String layer = layerOf(sources.relativize(file.getParent()));
            String name = BASE + (layer.isEmpty() ? "" : "." + layer) + "." + file.getFileName().toString().replace(".java", "");
            try {
                check(Class.forName(name), over);
            } catch (ClassNotFoundException e) {
                over.add(name + " not compiled");
            }
        }
        return over;
    }

    private static void check(Class<?> type, List<String> over) {
        for (Constructor<?> constructor : type.getDeclaredConstructors()) {
            // an inner (non-static) class's constructor takes its outer instance first, which no one writes
            int written = constructor.getParameterCount()
                          - (type.isMemberClass() && !java.lang.reflect.Modifier.isStatic(type.getModifiers()) ? 1 : 0)
                          - (type.isEnum() ? 2 : 0);
            if (!constructor.isSynthetic() && written > MAX_CONSTRUCTOR_PARAMETERS) {
                over.add(type.getName() + "(" + written + " parameters)");
            }
        }
        for (Class<?> nested : type.getDeclaredClasses()) {
            check(nested, over);
        }
    }

    static String layerOf(Path relativePackage) {
        return relativePackage.toString().replace('/', '.').replace('\\', '.');
    }

    static List<Path> javaFiles(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        }
    }

    /** The source without comments, string and character literals, so only code counts. */
    static String code(String source) {
        StringBuilder out = new StringBuilder(source.length());
        int i = 0;
        while (i < source.length()) {
            char c = source.charAt(i);
            if (source.startsWith("//", i)) {
                i = source.indexOf('\n', i) < 0 ? source.length() : source.indexOf('\n', i);
            } else if (source.startsWith("/*", i)) {
                i = source.indexOf("*/", i + 2) < 0 ? source.length() : source.indexOf("*/", i + 2) + 2;
                out.append(' ');
            } else if (c == '"' || c == '\'') {
                int end = i + 1;
                while (end < source.length() && source.charAt(end) != c) {
                    end += source.charAt(end) == '\\' ? 2 : 1;
                }
                i = end + 1;
                out.append(c).append(c);
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }
}
