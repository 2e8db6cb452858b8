package io.streamroutes.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/** Prints the table and ratios, writes {@code results.json}. */
final class ResultsReport {

    private ResultsReport() {
    }

    static void print(BenchReport report, PrintStream out) {
        out.println();
        out.printf(Locale.ROOT, "%-42s %-8s %12s %28s %9s %9s %10s %11s%n", "contestant", "kind", "entries/s", "runs",
                "p50 ms", "p99 ms", "peak MB", "alloc B/e");
        for (ContestantResult r : report.results()) {
            out.printf(Locale.ROOT, "%-42s %-8s %12.0f %28s %9s %9s %10.1f %11.0f%s%n", r.name(), r.kind(), r.median(),
                    runs(r.entriesPerSecond()), ms(r.p50Millis()), ms(r.p99Millis()), r.peakHeapMb(), r.allocatedPerEntry(),
                    r.complete() ? "" : "  INCOMPLETE: " + r.problem());
        }
        out.println("(drain p50/p99: XADD -> processed at " + report.options().latencyRate()
                    + "/s; produce p50/p99: duration of one send at that rate)");
        out.println();
        report.ratios().forEach((name, value) -> out.printf(Locale.ROOT, "%-40s %6.2f%n", name, value));
        BacklogCheck.Result b = report.backlog();
        out.printf(Locale.ROOT, "%nbacklog: %d entries drained by our route with -Xmx%s: %s (%.0f entries/s, peak heap %.1f MB)%n",
                b.entries(), b.heap(), b.complete() ? "OK" : "FAILED", b.entriesPerSecond(), b.peakHeapMb());
        if (!b.complete()) {
            out.println(b.output());
        }
    }

    private static String runs(List<Double> rates) {
        List<String> parts = new ArrayList<>();
        rates.forEach(r -> parts.add(String.format(Locale.ROOT, "%.0f", r)));
        return String.join(" ", parts);
    }

    private static String ms(double value) {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%.2f", value);
    }

    static void writeJson(BenchReport report, Path file) throws IOException {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("environment", report.environment());
        root.put("options", report.options());
        List<Map<String, Object>> results = new ArrayList<>();
        for (ContestantResult r : report.results()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", r.id());
            m.put("name", r.name());
            m.put("kind", r.kind());
            m.put("entriesPerSecondMedian", Math.round(r.median()));
            m.put("entriesPerSecondRuns", r.entriesPerSecond().stream().map(Math::round).toList());
            m.put("p50Millis", finite(r.p50Millis()));
            m.put("p99Millis", finite(r.p99Millis()));
            m.put("peakHeapMb", finite(r.peakHeapMb()));
            m.put("allocatedBytesPerEntry", finite(r.allocatedPerEntry()));
            m.put("complete", r.complete());
            if (!r.complete()) {
                m.put("problem", r.problem());
            }
            results.add(m);
        }
        root.put("results", results);
        root.put("ratios", report.ratios());
        BacklogCheck.Result b = report.backlog();
        Map<String, Object> backlog = new LinkedHashMap<>();
        backlog.put("entries", b.entries());
        backlog.put("maxHeap", b.heap());
        backlog.put("complete", b.complete());
        backlog.put("entriesPerSecond", Math.round(b.entriesPerSecond()));
        backlog.put("peakHeapMb", finite(b.peakHeapMb()));
        root.put("backlog", backlog);
        Files.createDirectories(file.getParent());
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), root);
    }

    private static Double finite(double value) {
        return Double.isFinite(value) ? Math.round(value * 100) / 100.0 : null;
    }
}
