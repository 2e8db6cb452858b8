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
        out.printf(Locale.ROOT, "%-38s %-7s %9s %-22s %7s %7s %8s %8s %9s %8s %8s %10s%n", "contestant", "kind", "entries/s",
                " runs", "p50 ms", "p99 ms", "peak MB", "live MB", "alloc B/e", "CPU us/e", "JVM us/e", "Redis us/e");
        for (ContestantResult r : report.results()) {
            out.printf(Locale.ROOT, "%-38s %-7s %9.0f %-22s %7s %7s %8.1f %8.1f %9.0f %8.2f %8.2f %10s%s%n", r.name(), r.kind(), r.median(),
                    " " + runs(r.entriesPerSecond()), ms(r.p50Millis()), ms(r.p99Millis()), r.peakHeapMb(), r.peakLiveHeapMb(),
                    r.allocatedPerEntry(), r.cpuMicrosPerEntry(), r.jvmCpuMicrosPerEntry(), ms(r.redisCpuMicrosPerEntry()),
                    r.complete() ? "" : "  INCOMPLETE: " + r.problem());
        }
        out.println("(drain p50/p99: XADD -> processed at " + report.options().latencyRate()
                    + "/s; produce p50/p99: duration of one send at that rate; io: tasks/s, per task;");
        out.println(" entries/s: median of runs in alternating rounds; CPU us/e: median per run of the CPU of the contestant's"
                    + " threads (not JIT, GC or the idle harness) from its start to its last ack or write;");
        out.println(" JVM us/e, alloc B/e: the whole JVM's process CPU (GC and JIT in it, 10 ms resolution) and allocation, same span;");
        out.println(" Redis us/e: the Redis server's CPU (INFO cpu, used_cpu_sys + used_cpu_user), same span, median of runs;");
        out.println(" floor: our drain's Camel route fed from a list in memory, no Redis: Camel's own cost per exchange)");
        for (ContestantResult r : report.results()) {
            if ("io".equals(r.kind())) {
                out.printf(Locale.ROOT, "%-38s concurrency %s, stand-in: %s calls, at most %s in flight%n", r.name(),
                        r.details().get("concurrency"), r.details().get("providerCalls"), r.details().get("providerPeakInFlight"));
            }
        }
        out.println();
        printMedia(report, out);
        if (report.smtp() != null) {
            SmtpReuseBench.print(report.smtp(), out);
        }
        out.println();
        report.ratios().forEach((name, value) -> out.printf(Locale.ROOT, "%-55s %7.3f%s%n", name, value,
                BenchReport.goal(name).map(g -> "   goal " + g.text() + (g.met(value) ? "  met" : "  NOT MET")).orElse("")));
        BacklogCheck.Result b = report.backlog();
        if (b == null) {
            return;
        }
        out.printf(Locale.ROOT, "%nbacklog: %d entries drained by our route with -Xmx%s: %s (%.0f entries/s, peak heap %.1f MB)%n",
                b.entries(), b.heap(), b.complete() ? "OK" : "FAILED", b.entriesPerSecond(), b.peakHeapMb());
        if (!b.complete()) {
            out.println(b.output());
        }
    }

    private static void printMedia(BenchReport report, PrintStream out) {
        if (report.media().isEmpty()) {
            return;
        }
        BenchOptions o = report.options();
        out.printf(Locale.ROOT, "%nmedia: %d photos %dx%d -> %s, JPEG quality %d%n", o.mediaPhotos(), o.mediaWidth(), o.mediaHeight(),
                report.media().get(0).outputSize(), MediaBench.QUALITY);
        out.printf(Locale.ROOT, "%-62s %9s %-22s %12s %12s%n", "contestant", "images/s", " runs", "peak RSS MB", "mean out KB");
        for (MediaResult r : report.media()) {
            out.printf(Locale.ROOT, "%-62s %9.2f %-22s %12.0f %12.1f%s%n", r.name(), r.median(), " " + runs(r.imagesPerSecond(), "%.2f"),
                    r.peakRssMb(), r.meanOutputBytes() / 1024, r.complete() ? "" : "  INCOMPLETE: " + r.problem());
        }
    }

    private static String runs(List<Double> rates) {
        return runs(rates, "%.0f");
    }

    private static String runs(List<Double> rates, String format) {
        List<String> parts = new ArrayList<>();
        rates.forEach(r -> parts.add(String.format(Locale.ROOT, format, r)));
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
            m.put("peakLiveHeapMb", finite(r.peakLiveHeapMb()));
            m.put("allocatedBytesPerEntry", finite(r.allocatedPerEntry()));
            m.put("cpuMicrosPerEntry", finite(r.cpuMicrosPerEntry()));
            if (!r.details().isEmpty()) {
                m.put("details", r.details());
            }
            m.put("complete", r.complete());
            if (!r.complete()) {
                m.put("problem", r.problem());
            }
            results.add(m);
        }
        root.put("results", results);
        if (!report.media().isEmpty()) {
            root.put("media", media(report.media()));
        }
        if (report.smtp() != null) {
            root.put("smtp", smtp(report.smtp()));
        }
        root.put("ratios", report.ratios());
        BacklogCheck.Result b = report.backlog();
        if (b != null) {
            root.put("backlog", backlog(b));
        }
        Files.createDirectories(file.getParent());
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), root);
    }

    private static List<Map<String, Object>> media(List<MediaResult> media) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (MediaResult r : media) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", r.id());
            m.put("name", r.name());
            m.put("parallelism", r.parallelism());
            m.put("imagesPerSecondMedian", finite(r.median()));
            m.put("imagesPerSecondRuns", r.imagesPerSecond().stream().map(v -> finite(v)).toList());
            m.put("peakRssMb", finite(r.peakRssMb()));
            m.put("meanOutputBytes", finite(r.meanOutputBytes()));
            m.put("outputSize", r.outputSize());
            m.put("jpegQuality", MediaBench.QUALITY);
            m.put("complete", r.complete());
            if (!r.complete()) {
                m.put("problem", r.problem());
            }
            list.add(m);
        }
        return list;
    }

    private static Map<String, Object> smtp(SmtpReuseResult r) {
        Map<String, Object> smtp = new LinkedHashMap<>();
        smtp.put("mailsPerRound", r.mailsPerRound());
        smtp.put("concurrency", r.concurrency());
        smtp.put("reusedMailsPerSecondMedian", finite(r.reusedMedian()));
        smtp.put("reusedMailsPerSecondRuns", r.reused().stream().map(v -> finite(v)).toList());
        smtp.put("perMailMailsPerSecondMedian", finite(r.perMailMedian()));
        smtp.put("perMailMailsPerSecondRuns", r.perMail().stream().map(v -> finite(v)).toList());
        smtp.put("complete", r.complete());
        if (!r.complete()) {
            smtp.put("problem", r.problem());
        }
        return smtp;
    }

    private static Map<String, Object> backlog(BacklogCheck.Result b) {
        Map<String, Object> backlog = new LinkedHashMap<>();
        backlog.put("entries", b.entries());
        backlog.put("maxHeap", b.heap());
        backlog.put("complete", b.complete());
        backlog.put("entriesPerSecond", Math.round(b.entriesPerSecond()));
        backlog.put("peakHeapMb", finite(b.peakHeapMb()));
        return backlog;
    }

    private static Double finite(double value) {
        return Double.isFinite(value) ? Math.round(value * 100) / 100.0 : null;
    }
}
