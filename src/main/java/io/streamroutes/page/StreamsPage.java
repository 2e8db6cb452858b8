package io.streamroutes.page;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.streamroutes.component.redisstreams.ConsumerFigures;
import io.streamroutes.component.redisstreams.client.DeadLetterStream;
import io.streamroutes.component.redisstreams.client.StreamEntry;

import static io.streamroutes.page.Html.escape;

/** The HTML of the streams page: one row per consumed stream, then each dead-letter stream's entries with actions. */
final class StreamsPage {

    /** A consumed stream as shown: its figures, the route's state and the rate measured across page views. */
    record Row(ConsumerFigures figures, String routeStatus, double perSecond) {
    }

    /** A dead-letter stream: its oldest entries (at most the page's limit) and its length. */
    record DeadLetters(String key, List<StreamEntry> entries, long length, String error) {
    }

    private final String token;
    private final int refreshSeconds;

    StreamsPage(String token, int refreshSeconds) {
        this.token = token;
        this.refreshSeconds = refreshSeconds;
    }

    String render(List<Row> rows, List<DeadLetters> deadLetters, String message) {
        StringBuilder h = new StringBuilder(8192);
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Redis streams</title>\n");
        if (refreshSeconds > 0) {
            h.append("<meta http-equiv=\"refresh\" content=\"").append(refreshSeconds).append("; url=streams\">\n");
        }
        h.append("""
                <style>
                body{font-family:system-ui,sans-serif;margin:1.5em;color:#222}
                table{border-collapse:collapse;margin-bottom:1.5em}
                th,td{border:1px solid #ccc;padding:.3em .6em;text-align:left;vertical-align:top;font-size:14px}
                th{background:#f0f0f0} td.n{text-align:right;font-variant-numeric:tabular-nums}
                .up{color:#14701f;font-weight:600} .down{color:#b00020;font-weight:600} .paused{color:#8a6d00;font-weight:600}
                .error{color:#b00020;white-space:pre-wrap;overflow-wrap:anywhere;max-width:32em}
                .last-error{color:#666;font-size:12px;overflow-wrap:anywhere;max-width:24em}
                .fields{font-family:monospace;white-space:pre-wrap;overflow-wrap:anywhere;max-width:28em}
                form{display:inline;margin:0} button{font-size:13px;margin:1px}
                .message{background:#eef6ff;border:1px solid #9cc3ff;padding:.4em .8em;display:inline-block}
                </style></head><body>
                <h1>Redis streams</h1>
                """);
        if (message != null && !message.isBlank()) {
            h.append("<p class=\"message\" id=\"message\">").append(escape(message)).append("</p>\n");
        }
        h.append("<table id=\"streams\"><tr><th>route</th><th>stream</th><th>group</th><th>length</th><th>lag</th>"
                 + "<th>pending</th><th>oldest pending</th><th>consumers</th><th>processed/s</th><th>waiting for a retry</th><th>health</th>"
                 + "<th>dead letters</th><th></th></tr>\n");
        for (Row row : rows) {
            streamRow(h, row);
        }
        h.append("</table>\n");
        for (DeadLetters d : deadLetters) {
            deadLetterSection(h, d);
        }
        h.append("<p><small>Refreshes every ").append(refreshSeconds).append(" s. Figures are read from Redis when the page "
                 + "is rendered.</small></p>\n</body></html>\n");
        return h.toString();
    }

    private void streamRow(StringBuilder h, Row row) {
        ConsumerFigures f = row.figures();
        h.append("<tr data-stream=\"").append(escape(f.stream())).append("\"><td>").append(escape(f.routeId()))
                .append("</td><td>").append(escape(f.stream())).append("</td><td>").append(escape(f.group() == null ? "–" : f.group()))
                .append("</td>");
        number(h, f.length());
        number(h, f.lag());
        number(h, f.pending());
        h.append("<td class=\"n\">").append(f.oldestPendingIdleMillis() < 0 ? "–" : age(f.oldestPendingIdleMillis())).append("</td>");
        h.append("<td>").append(f.groupConsumers() < 0 ? "–" : f.groupConsumers()).append(" in group<br><small>here: ")
                .append(escape(String.join(", ", f.consumerNames()))).append("</small></td>");
        h.append("<td class=\"n\">").append(row.perSecond() < 0 ? "–" : String.format("%.1f", row.perSecond())).append("</td>");
        h.append("<td class=\"n retries\">").append(f.retryWaiting());
        if (f.nextRetryAtMillis() > 0) {
            h.append("<br><small>next in ").append(age(Math.max(0, f.nextRetryAtMillis() - System.currentTimeMillis()))).append("</small>");
        }
        h.append("</td>");
        boolean paused = !"Started".equals(row.routeStatus());
        h.append("<td class=\"health\">");
        if (paused) {
            h.append("<span class=\"paused\">").append(escape(row.routeStatus())).append("</span>");
        } else if (f.healthy()) {
            h.append("<span class=\"up\">UP</span>");
        } else {
            h.append("<span class=\"down\">DOWN</span>");
        }
        if (f.pauseReason() != null) {
            h.append("<div class=\"pause\">paused for ").append(age(Math.max(0, f.pausedUntilMillis() - System.currentTimeMillis())))
                    .append(": ").append(escape(f.pauseReason())).append("</div>");
        }
        String problem = f.redisError() != null ? f.redisError() : f.problem();
        if (problem != null) {
            h.append("<div class=\"error\">").append(escape(problem)).append("</div>");
        } else if (f.statistics().getLastError() != null) {
            String last = f.statistics().getLastError();
            h.append("<div class=\"last-error\" title=\"").append(escape(last)).append("\">last failure: ")
                    .append(escape(last.length() > 120 ? last.substring(0, 117) + "..." : last)).append("</div>");
        }
        h.append("</td><td>");
        if (f.deadLetterStream() != null) {
            h.append(escape(f.deadLetterStream())).append(": ").append(f.deadLetterLength() < 0 ? "?" : f.deadLetterLength());
        }
        h.append("</td><td>");
        form(h, paused ? "resume" : "pause", Map.of("route", f.routeId()), paused ? "Resume" : "Pause", null);
        h.append("</td></tr>\n");
    }

    private void deadLetterSection(StringBuilder h, DeadLetters d) {
        h.append("<section class=\"dead-letters\" data-stream=\"").append(escape(d.key())).append("\"><h2>Dead letters in ")
                .append(escape(d.key())).append(" (").append(d.length() < 0 ? "?" : d.length()).append(")</h2>\n");
        if (d.error() != null) {
            h.append("<p class=\"error\">").append(escape(d.error())).append("</p></section>\n");
            return;
        }
        if (d.entries().isEmpty()) {
            h.append("<p>none</p></section>\n");
            return;
        }
        form(h, "requeue-all", Map.of("stream", d.key()), "Requeue all", null);
        form(h, "purge", Map.of("stream", d.key()), "Purge",
                "Delete all " + d.length() + " dead letters of " + d.key() + "? This cannot be undone.");
        h.append("<table><tr><th>id</th><th>from</th><th>deliveries</th><th>error</th><th>failed at</th><th>original fields</th>"
                 + "<th></th></tr>\n");
        for (StreamEntry e : d.entries()) {
            Map<String, String> f = e.fields();
            h.append("<tr data-id=\"").append(escape(e.id())).append("\"><td>").append(escape(e.id())).append("</td><td>")
                    .append(escape(f.get("x-source-stream"))).append("<br><small>").append(escape(f.get("x-source-id")))
                    .append("</small></td><td class=\"n delivery-count\">").append(escape(f.get("x-delivery-count")))
                    .append("</td><td class=\"error\">").append(escape(f.get("x-error"))).append("</td><td>")
                    .append(escape(f.get("x-failed-at"))).append("</td><td class=\"fields\">");
            f.forEach((k, v) -> {
                if (!DeadLetterStream.ADDED_FIELDS.contains(k)) {
                    h.append(escape(k)).append(" = ").append(escape(v)).append('\n');
                }
            });
            h.append("</td><td>");
            form(h, "requeue", Map.of("stream", d.key(), "id", e.id()), "Requeue", null);
            form(h, "delete", Map.of("stream", d.key(), "id", e.id()), "Delete", null);
            h.append("</td></tr>\n");
        }
        h.append("</table>");
        if (d.length() > d.entries().size()) {
            h.append("<p>the oldest ").append(d.entries().size()).append(" of ").append(d.length()).append(" are shown</p>");
        }
        h.append("</section>\n");
    }

    private void form(StringBuilder h, String action, Map<String, String> fields, String label, String confirm) {
        h.append("<form method=\"post\" action=\"streams/action\"");
        if (confirm != null) {
            h.append(" data-confirm=\"").append(escape(confirm)).append("\" onsubmit=\"return confirm(this.dataset.confirm)\"");
        }
        h.append("><input type=\"hidden\" name=\"csrf\" value=\"").append(escape(token)).append("\">")
                .append("<input type=\"hidden\" name=\"action\" value=\"").append(escape(action)).append("\">");
        fields.forEach((k, v) -> h.append("<input type=\"hidden\" name=\"").append(escape(k)).append("\" value=\"")
                .append(escape(v)).append("\">"));
        h.append("<button type=\"submit\" name=\"do\" value=\"").append(escape(action)).append("\">").append(escape(label))
                .append("</button></form>");
    }

    private static void number(StringBuilder h, long value) {
        h.append("<td class=\"n\">").append(value < 0 ? "–" : Long.toString(value)).append("</td>");
    }

    static String age(long millis) {
        Duration d = Duration.ofMillis(millis);
        if (d.toSeconds() < 60) {
            return d.toSeconds() + " s";
        }
        if (d.toMinutes() < 60) {
            return d.toMinutes() + " min";
        }
        return d.toHours() + " h " + d.toMinutesPart() + " min";
    }
}
