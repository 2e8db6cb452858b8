package io.streamroutes.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * A horizontal bar chart of median entries/s per contestant, then (own scale) median images/s of the media
 * contestants, as plain SVG (no charting library needed).
 */
final class SvgChart {

    private static final int LABEL_WIDTH = 330;
    private static final int BAR_AREA = 460;
    private static final int ROW = 28;
    private static final int TOP = 50;

    private SvgChart() {
    }

    static void write(BenchReport report, Path file) throws IOException {
        // the Camel floor reads no Redis: its entries/s is no throughput to compare (it is a CPU reference)
        List<ContestantResult> results = report.results().stream().filter(r -> !DrainBench.FLOOR.equals(r.kind())).toList();
        // I/O-bound tasks/s are a thousand times below entries/s: their own rows, on their own scale, under a heading
        double maxEntries = results.stream().filter(r -> !io(r)).mapToDouble(ContestantResult::median).max().orElse(1);
        double maxTasks = results.stream().filter(SvgChart::io).mapToDouble(ContestantResult::median).max().orElse(1);
        boolean anyIo = results.stream().anyMatch(SvgChart::io);
        int width = LABEL_WIDTH + BAR_AREA + 120;
        List<MediaResult> media = report.media();
        int mainRows = results.size() + (anyIo ? 1 : 0);
        int mediaTop = TOP + mainRows * ROW + 20;
        int height = (media.isEmpty() ? TOP + mainRows * ROW : mediaTop + 30 + media.size() * ROW) + 30;
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                                              + "font-family=\"sans-serif\" font-size=\"13\">%n", width, height));
        svg.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", width, height));
        svg.append(String.format(Locale.ROOT, "<text x=\"10\" y=\"22\" font-size=\"15\" font-weight=\"bold\">"
                                              + "Throughput, median entries/s (%d entries, %s)</text>%n",
                report.options().entries(), escape(report.environment().getOrDefault("redis", ""))));
        int row = 0;
        boolean headed = false;
        for (ContestantResult r : results) {
            if (io(r) && !headed) {
                headed = true;
                svg.append(String.format(Locale.ROOT, "<text x=\"10\" y=\"%d\" font-weight=\"bold\">I/O-bound, median tasks/s "
                                                      + "(provider answers in %d ms; own scale)</text>%n",
                        TOP + row * ROW + 15, SlowProvider.LATENCY_MS));
                row++;
            }
            int y = TOP + row * ROW;
            row++;
            double max = io(r) ? maxTasks : maxEntries;
            double barWidth = max > 0 ? r.median() / max * BAR_AREA : 0;
            String color = r.id().startsWith("route") || r.id().startsWith("io-route") ? "#d9534f"
                    : r.id().startsWith("io-standin") ? "#aaaaaa" : "produce".equals(r.kind()) ? "#8fbf5a" : "#5b8def";
            bar(svg, y, r.name() + " (" + r.kind() + ")", barWidth, color, String.format(Locale.ROOT, "%,.0f", r.median()));
        }
        if (!media.isEmpty()) {
            BenchOptions o = report.options();
            svg.append(String.format(Locale.ROOT, "<text x=\"10\" y=\"%d\" font-size=\"15\" font-weight=\"bold\">Media, median "
                                                  + "images/s (%d photos %dx%d -&gt; %s, JPEG q%d)</text>%n", mediaTop + 12,
                    o.mediaPhotos(), o.mediaWidth(), o.mediaHeight(), media.get(0).outputSize(), MediaBench.QUALITY));
            double mediaMax = media.stream().mapToDouble(MediaResult::median).max().orElse(1);
            for (int i = 0; i < media.size(); i++) {
                MediaResult r = media.get(i);
                double barWidth = mediaMax > 0 ? r.median() / mediaMax * BAR_AREA : 0;
                bar(svg, mediaTop + 30 + i * ROW, r.name(), barWidth, r.id().equals(BenchReport.OUR_MEDIA) ? "#d9534f" : "#999999",
                        String.format(Locale.ROOT, "%.1f", r.median()));
            }
        }
        svg.append(String.format(Locale.ROOT, "<text x=\"10\" y=\"%d\" font-size=\"11\" fill=\"#555\">red: our component; "
                                              + "blue: other consumers (I/O: the hand-written loop); green: other producers; "
                                              + "grey: the stand-in alone, image tools</text>%n", height - 8));
        svg.append("</svg>\n");
        Files.createDirectories(file.getParent());
        Files.writeString(file, svg.toString());
    }

    private static boolean io(ContestantResult r) {
        return "io".equals(r.kind());
    }

    private static void bar(StringBuilder svg, int y, String label, double width, String color, String value) {
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>%n", LABEL_WIDTH - 8, y + 15,
                escape(label)));
        svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"20\" fill=\"%s\"/>%n",
                LABEL_WIDTH, y, width, color));
        svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\">%s</text>%n", LABEL_WIDTH + width + 6, y + 15, value));
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
