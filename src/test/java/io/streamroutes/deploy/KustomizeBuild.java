package io.streamroutes.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * What {@code kustomize build} makes of deploy/kubernetes, for the parts of kustomize those files use (no kustomize
 * binary on the build machine): {@code resources} (files and directories), {@code patches} with JSON 6902
 * {@code add} operations, {@code nameSuffix}, {@code labels} with {@code includeSelectors}, {@code namespace}, in
 * kustomize's order (patches, then names, then labels). Anything else in a kustomization fails the build here, so a
 * file using more is noticed.
 */
@SuppressWarnings("unchecked")
final class KustomizeBuild {

    static final List<String> UNDERSTOOD = List.of("apiVersion", "kind", "resources", "patches", "nameSuffix", "labels", "namespace",
            "configMapGenerator");

    private KustomizeBuild() {
    }

    static List<Map<String, Object>> build(Path dir) throws IOException {
        Map<String, Object> kustomization = (Map<String, Object>) load(dir.resolve("kustomization.yaml")).get(0);
        for (String key : kustomization.keySet()) {
            if (!UNDERSTOOD.contains(key)) {
                throw new IllegalStateException(dir + "/kustomization.yaml uses " + key + ", which this build does not do");
            }
        }
        List<Map<String, Object>> resources = new ArrayList<>();
        for (Object resource : (List<?>) kustomization.getOrDefault("resources", List.of())) {
            Path path = dir.resolve((String) resource).normalize();
            if (Files.isDirectory(path)) {
                resources.addAll(build(path));
            } else {
                load(path).forEach(doc -> resources.add((Map<String, Object>) doc));
            }
        }
        for (Object patch : (List<?>) kustomization.getOrDefault("patches", List.of())) {
            Map<String, Object> p = (Map<String, Object>) patch;
            Map<String, Object> target = (Map<String, Object>) p.get("target");
            for (Map<String, Object> resource : resources) {
                if (matches(target, resource)) {
                    for (Object op : new Load(LoadSettings.builder().build()).loadAllFromString((String) p.get("patch"))) {
                        for (Object operation : (List<?>) op) {
                            add(resource, (Map<String, Object>) operation);
                        }
                    }
                }
            }
        }
        String suffix = (String) kustomization.get("nameSuffix");
        if (suffix != null) {
            resources.forEach(r -> metadata(r).put("name", metadata(r).get("name") + suffix));
        }
        for (Object labels : (List<?>) kustomization.getOrDefault("labels", List.of())) {
            Map<String, Object> l = (Map<String, Object>) labels;
            Map<String, String> pairs = (Map<String, String>) l.get("pairs");
            for (Map<String, Object> resource : resources) {
                labels(metadata(resource)).putAll(pairs);
                if (Boolean.TRUE.equals(l.get("includeSelectors")) && resource.get("spec") instanceof Map<?, ?> spec) {
                    if (spec.get("selector") instanceof Map<?, ?> selector) {
                        ((Map<String, Object>) selector.get("matchLabels")).putAll(pairs);
                    }
                    if (spec.get("template") instanceof Map<?, ?> template) {
                        labels(metadata((Map<String, Object>) template)).putAll(pairs);
                    }
                }
            }
        }
        if (kustomization.get("namespace") instanceof String namespace) {
            resources.stream().filter(r -> !"Namespace".equals(r.get("kind"))).forEach(r -> metadata(r).put("namespace", namespace));
        }
        return resources;
    }

    /** Built resources of one kind. */
    static List<Map<String, Object>> of(List<Map<String, Object>> built, String kind) {
        return built.stream().filter(r -> kind.equals(r.get("kind"))).toList();
    }

    static String name(Map<String, Object> resource) {
        return (String) metadata(resource).get("name");
    }

    private static boolean matches(Map<String, Object> target, Map<String, Object> resource) {
        return target.entrySet().stream().allMatch(t -> t.getKey().equals("name") ? t.getValue().equals(name(resource))
                : t.getValue().equals(resource.get(t.getKey())));
    }

    /** A JSON 6902 {@code add}: into a map, or into a list at an index or at its end ({@code -}). */
    private static void add(Map<String, Object> resource, Map<String, Object> operation) {
        if (!"add".equals(operation.get("op"))) {
            throw new IllegalStateException("only add operations are built here: " + operation);
        }
        String[] path = ((String) operation.get("path")).substring(1).split("/");
        Object parent = resource;
        for (int i = 0; i < path.length - 1; i++) {
            parent = parent instanceof Map<?, ?> map ? map.get(path[i]) : ((List<?>) parent).get(Integer.parseInt(path[i]));
        }
        String last = path[path.length - 1];
        if (parent instanceof List<?> list) {
            ((List<Object>) list).add(last.equals("-") ? list.size() : Integer.parseInt(last), operation.get("value"));
        } else {
            ((Map<String, Object>) parent).put(last, operation.get("value"));
        }
    }

    private static Map<String, Object> metadata(Map<String, Object> resource) {
        return (Map<String, Object>) resource.computeIfAbsent("metadata", k -> new LinkedHashMap<>());
    }

    private static Map<String, String> labels(Map<String, Object> metadata) {
        return (Map<String, String>) metadata.computeIfAbsent("labels", k -> new LinkedHashMap<>());
    }

    private static List<Object> load(Path file) throws IOException {
        List<Object> docs = new ArrayList<>();
        new Load(LoadSettings.builder().build()).loadAllFromString(Files.readString(file)).forEach(docs::add);
        return docs;
    }
}
