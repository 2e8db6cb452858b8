package io.streamroutes.app;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.camel.CamelContext;
import org.apache.camel.FailedToCreateRouteException;
import org.apache.camel.NoSuchBeanException;
import org.apache.camel.ResolveEndpointFailedException;
import org.apache.camel.model.Model;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.spi.EndpointUriFactory;
import org.apache.camel.util.StringHelper;
import org.apache.camel.util.URISupport;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;

/**
 * Turns a failure to load or create routes into one line an engineer can act on:
 * {@code <file>:<line>[:<column>]: <problem>; key: <offending key>}.
 * <p>
 * Everything is read from Camel's exception types and their fields, the route definitions and the route files, never
 * from the text of an exception's message. YAML syntax errors and unknown keys carry the parser's line and column.
 * For routes that parse but cannot be created (unknown endpoint option, missing placeholder, unknown bean) Camel names
 * the route and its file, so the line is the first line of that route (from its {@code from}) on which the offending
 * key appears. A failure while pre-parsing a file (a bean of an unknown class) names neither: the line is the first one
 * of the candidate route files that holds the offending key.
 */
final class RouteErrors {

    /** A word of a YAML line (for the key at a parser's mark). */
    private static final Pattern WORD = Pattern.compile("[\\w.#:${}-]+");
    /** A property placeholder of a route file, {@code {{key}}} or {@code {{key:default}}}. */
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([^{}:]+)(:[^{}]*)?}}");

    private RouteErrors() {
    }

    /** What went wrong and which text in the file it is about. */
    private record Problem(String text, String key, String searchText) {
    }

    /**
     * One line describing {@code failure}; {@code context} (may be null) is the context the routes were loaded into,
     * used to find the file and line of a route that could not be created; {@code routeFiles} are the locations of the
     * route files that were being loaded (searched when Camel names no file).
     */
    static String describe(Throwable failure, CamelContext context, List<String> routeFiles) {
        MarkedYamlEngineException yaml = find(failure, MarkedYamlEngineException.class);
        if (yaml != null && yaml.getProblemMark().isPresent()) {
            return describeYaml(yaml, yaml.getProblemMark().get());
        }
        FailedToCreateRouteException route = find(failure, FailedToCreateRouteException.class);
        if (route != null) {
            return describeRoute(route, context);
        }
        Problem problem = classify(failure, context, routeFiles);
        if (problem.searchText() != null) {
            for (String file : routeFiles) {
                if (indexOf(readLines(file), problem.searchText(), 0) >= 0) {
                    return locate(file, 1, problem.searchText()) + ": " + problem.text() + keySuffix(problem.key());
                }
            }
        }
        return Application.rootMessage(failure);
    }

    private static String describeYaml(MarkedYamlEngineException e, Mark mark) {
        String location = displayName(mark.getName());
        List<String> lines = readLines(mark.getName());
        String key = null;
        if (mark.getLine() < lines.size()) {
            String line = lines.get(mark.getLine());
            Matcher word = WORD.matcher(line.substring(Math.min(mark.getColumn(), line.length())));
            if (word.lookingAt()) {
                key = word.group().replaceAll(":$", "");
            }
        }
        StringBuilder text = new StringBuilder(location).append(':').append(mark.getLine() + 1).append(':')
                .append(mark.getColumn() + 1).append(": ").append(e.getProblem());
        if (e.getContext() != null) {
            text.append(" (").append(e.getContext());
            e.getContextMark().ifPresent(m -> text.append(" started at line ").append(m.getLine() + 1));
            text.append(')');
        }
        return text + keySuffix(key);
    }

    private static String describeRoute(FailedToCreateRouteException e, CamelContext context) {
        String location = e.getLocation();
        int line = 1;
        RouteDefinition definition = context != null
                ? context.getCamelContextExtension().getContextPlugin(Model.class).getRouteDefinition(e.getRouteId()) : null;
        if (definition != null) {
            if (definition.getResource() != null) {
                location = definition.getResource().getLocation();
            }
            Integer from = definition.getInput() != null ? definition.getInput().getLineNumber() : null;
            line = from != null && from > 0 ? from : Math.max(1, definition.getLineNumber());
        }
        Problem problem = classify(e, context, location != null ? List.of(location) : List.of());
        String where = location != null ? locate(location, line, problem.searchText()) : "route '" + e.getRouteId() + "'";
        return where + ": " + problem.text() + " (route '" + e.getRouteId() + "')" + keySuffix(problem.key());
    }

    /** The usual mistakes get a short explanation; anything else keeps Camel's innermost message. */
    private static Problem classify(Throwable failure, CamelContext context, List<String> routeFiles) {
        NoSuchBeanException noBean = find(failure, NoSuchBeanException.class);
        if (noBean != null) {
            return new Problem("no bean named '" + noBean.getName() + "' (not defined in this file's beans, nor bound by the application)",
                    noBean.getName(), noBean.getName());
        }
        ResolveEndpointFailedException endpoint = find(failure, ResolveEndpointFailedException.class);
        List<String> unknown = endpoint != null && context != null ? unknownOptions(endpoint.getUri(), context) : List.of();
        if (!unknown.isEmpty()) {
            String uri = URISupport.sanitizeUri(endpoint.getUri());
            int query = uri.indexOf('?');
            return new Problem("unknown option " + String.join(", ", unknown) + " on " + (query < 0 ? uri : uri.substring(0, query))
                               + " (misspelt?)", unknown.get(0), unknown.get(0));
        }
        String property = find(failure, IllegalArgumentException.class) != null ? unsetPlaceholder(context, routeFiles) : null;
        if (property != null) {
            return new Problem("property placeholder {{" + property + "}} has no value (set " + property
                               + " in application.properties or with -D" + property + "=..., or give a default: {{"
                               + property + ":default}})", property, "{{" + property);
        }
        ClassNotFoundException noClass = find(failure, ClassNotFoundException.class);
        if (noClass != null) {
            // a ClassNotFoundException's message is the class name
            return new Problem("class not found: " + noClass.getMessage() + " (" + messageBelow(failure, noClass) + ")",
                    noClass.getMessage(), noClass.getMessage());
        }
        return new Problem(Application.rootMessage(failure), null, null);
    }

    /** The query parameters of {@code uri} its component does not know (by the component's generated URI factory). */
    private static List<String> unknownOptions(String uri, CamelContext context) {
        String scheme = StringHelper.before(uri, ":");
        EndpointUriFactory factory = scheme != null ? context.getCamelContextExtension().getEndpointUriFactory(scheme) : null;
        if (factory == null) {
            return List.of();
        }
        Set<String> known = factory.propertyNames();
        java.util.Collection<String> prefixes = factory.multiValuePrefixes().values();
        List<String> unknown = new ArrayList<>();
        try {
            for (String key : URISupport.parseQuery(URISupport.extractQuery(uri)).keySet()) {
                if (!known.contains(key) && prefixes.stream().noneMatch(key::startsWith)) {
                    unknown.add(key);
                }
            }
        } catch (URISyntaxException e) {
            return List.of();
        }
        return unknown;
    }

    /** The first required placeholder without a default in {@code routeFiles} that the context's properties cannot resolve. */
    private static String unsetPlaceholder(CamelContext context, List<String> routeFiles) {
        if (context == null) {
            return null;
        }
        for (String file : routeFiles) {
            for (String line : readLines(file)) {
                Matcher placeholder = PLACEHOLDER.matcher(line);
                while (placeholder.find()) {
                    String key = placeholder.group(1).trim();
                    // {{?key}} is optional: it may stay unset
                    if (placeholder.group(2) == null && !key.startsWith("?")
                        && context.getPropertiesComponent().resolveProperty(key).isEmpty()) {
                        return key;
                    }
                }
            }
        }
        return null;
    }

    /** {@code location:line}, the line being the first at or after {@code fromLine} that contains {@code searchText}. */
    private static String locate(String location, int fromLine, String searchText) {
        int line = fromLine;
        if (searchText != null) {
            List<String> lines = readLines(location);
            int found = indexOf(lines, searchText, fromLine - 1);
            if (found < 0) {
                found = indexOf(lines, searchText, 0);
            }
            if (found >= 0) {
                line = found + 1;
            }
        }
        return displayName(location) + ":" + line;
    }

    private static int indexOf(List<String> lines, String text, int from) {
        for (int i = Math.max(0, from); i < lines.size(); i++) {
            if (lines.get(i).contains(text)) {
                return i;
            }
        }
        return -1;
    }

    private static String keySuffix(String key) {
        return key != null && !key.isBlank() ? "; key: " + key : "";
    }

    /** The message of the exception that wraps {@code cause}, e.g. "Error creating bean: x of type: ...". */
    private static String messageBelow(Throwable failure, Throwable cause) {
        String message = null;
        for (Throwable t = failure; t != null && t != cause; t = t.getCause()) {
            message = t.getMessage();
        }
        return message != null ? message.replace("#class:", "") : "";
    }

    /** A route file location as the engineer knows it: relative to the working directory when below it. */
    static String displayName(String location) {
        Path path = path(location);
        if (path == null) {
            return location;
        }
        Path cwd = Path.of("").toAbsolutePath();
        Path absolute = path.toAbsolutePath().normalize();
        return absolute.startsWith(cwd) ? cwd.relativize(absolute).toString() : absolute.toString();
    }

    private static Path path(String location) {
        if (location == null || location.startsWith("classpath:")) {
            return null;
        }
        try {
            if (location.startsWith("file:")) {
                return Path.of(location.substring("file:".length()));
            }
            return Path.of(location);
        } catch (RuntimeException notAPath) {
            return null;
        }
    }

    private static List<String> readLines(String location) {
        Path path = path(location);
        try {
            return path != null && Files.isRegularFile(path) ? Files.readAllLines(path) : List.of();
        } catch (IOException e) {
            return List.of();
        }
    }

    private static <T extends Throwable> T find(Throwable failure, Class<T> type) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
