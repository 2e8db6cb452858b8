package io.streamroutes.page;

import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;

import io.streamroutes.component.redisstreams.ConsumerFigures;
import io.streamroutes.component.redisstreams.client.DeadLetterStream;
import io.streamroutes.component.redisstreams.client.StreamEntry;

/**
 * The HTML of the streams page, from the template {@code streams.mustache} (and its {@code form.mustache}): one row per
 * consumed stream, then each dead-letter stream's entries with actions.
 */
final class StreamsPage {

    /** A consumed stream as shown: its figures, the route's state and the rate measured across page views. */
    record Row(ConsumerFigures figures, String routeStatus, double perSecond) {
    }

    /** A dead-letter stream: its oldest entries (at most the page's limit) and its length. */
    record DeadLetters(String key, List<StreamEntry> entries, long length, String error) {
    }

    /** The page's HTML; {@code {{x}}} escapes, so entry fields from producers render as text. */
    private static final Mustache TEMPLATE = new DefaultMustacheFactory("io/streamroutes/page").compile("streams.mustache");
    private static final String NONE = "–";

    private final String token;
    private final int refreshSeconds;

    StreamsPage(String token, int refreshSeconds) {
        this.token = token;
        this.refreshSeconds = refreshSeconds;
    }

    String render(List<Row> rows, List<DeadLetters> deadLetters, String message) {
        long now = System.currentTimeMillis();
        StringWriter html = new StringWriter(8192);
        TEMPLATE.execute(html, new PageView(token, refreshSeconds > 0, refreshSeconds, message == null || message.isBlank() ? null : message,
                rows.stream().map(row -> RowView.of(row, now)).toList(), deadLetters.stream().map(SectionView::of).toList()));
        return html.toString();
    }

    /** What the template reads: every value already formatted, null where the page shows nothing. */
    record PageView(String token, boolean refresh, int refreshSeconds, String message, List<RowView> rows, List<SectionView> sections) {
    }

    record RowView(String stream, String routeId, String group, String length, String lag, String pending, String keyWaiting,
                   String oldestPending,
                   String groupConsumers, String consumerNames, String perSecond, long retryWaiting, String nextRetry, String scheduled,
                   String nextScheduled, boolean paused,
                   String routeStatus, boolean healthy, String pauseReason, String pausedFor, String problem, String lastError,
                   String lastErrorShort, String deadLetters, List<FormView> forms) {

        static RowView of(Row row, long now) {
            ConsumerFigures f = row.figures();
            boolean paused = !"Started".equals(row.routeStatus());
            String problem = f.redisError() != null ? f.redisError() : f.problem();
            String last = f.statistics().getLastError();
            return new RowView(f.stream(), f.routeId(), f.group() == null ? NONE : f.group(), number(f.length()), number(f.lag()),
                    number(f.pending()), f.keyWaiting() < 0 ? null : Integer.toString(f.keyWaiting()),
                    f.oldestPendingAgeMillis() < 0 ? NONE : age(f.oldestPendingAgeMillis()),
                    f.groupConsumers() < 0 ? NONE : Integer.toString(f.groupConsumers()), String.join(", ", f.consumerNames()),
                    row.perSecond() < 0 ? NONE : String.format("%.1f", row.perSecond()), f.retryWaiting(),
                    f.nextRetryAtMillis() > 0 ? age(Math.max(0, f.nextRetryAtMillis() - now)) : null, number(f.scheduledCount()),
                    f.nextScheduledAtMillis() > 0 ? age(Math.max(0, f.nextScheduledAtMillis() - now)) : null, paused, row.routeStatus(),
                    f.healthy(), f.pauseReason(), age(Math.max(0, f.pausedUntilMillis() - now)), problem, last,
                    last != null && last.length() > 120 ? last.substring(0, 117) + "..." : last,
                    f.deadLetterStream() == null ? null
                            : f.deadLetterStream() + ": " + (f.deadLetterLength() < 0 ? "?" : Long.toString(f.deadLetterLength())),
                    List.of(new FormView(paused ? "resume" : "pause", Map.of("route", f.routeId()), paused ? "Resume" : "Pause", null)));
        }
    }

    record SectionView(String key, String length, String error, boolean hasEntries, List<EntryView> entries, boolean more, int shown,
                       List<FormView> forms) {

        static SectionView of(DeadLetters d) {
            return new SectionView(d.key(), d.length() < 0 ? "?" : Long.toString(d.length()), d.error(), !d.entries().isEmpty(),
                    d.entries().stream().map(e -> EntryView.of(d.key(), e)).toList(), d.length() > d.entries().size(), d.entries().size(),
                    List.of(new FormView("requeue-all", Map.of("stream", d.key()), "Requeue all", null),
                            new FormView("purge", Map.of("stream", d.key()), "Purge",
                                    "Delete all " + d.length() + " dead letters of " + d.key() + "? This cannot be undone.")));
        }
    }

    record EntryView(String id, String sourceStream, String sourceId, String deliveryCount, String error, String failedAt,
                     List<Field> fields, List<FormView> forms) {

        static EntryView of(String stream, StreamEntry e) {
            Map<String, String> f = e.fields();
            List<Field> original = new ArrayList<>();
            f.forEach((k, v) -> {
                if (!DeadLetterStream.ADDED_FIELDS.contains(k)) {
                    original.add(new Field(k, v));
                }
            });
            return new EntryView(e.id(), f.get("x-source-stream"), f.get("x-source-id"), f.get("x-delivery-count"), f.get("x-error"),
                    f.get("x-failed-at"), original,
                    List.of(new FormView("requeue", hidden("stream", stream, "id", e.id()), "Requeue", null),
                            new FormView("delete", hidden("stream", stream, "id", e.id()), "Delete", null)));
        }
    }

    /** A button posting {@code action} with hidden {@code fields} (and the CSRF token); {@code confirm} asks first. */
    record FormView(String action, List<Field> fields, String label, String confirm) {

        FormView(String action, Map<String, String> fields, String label, String confirm) {
            this(action, fields.entrySet().stream().map(e -> new Field(e.getKey(), e.getValue())).toList(), label, confirm);
        }
    }

    record Field(String name, String value) {
    }

    private static Map<String, String> hidden(String k1, String v1, String k2, String v2) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put(k1, v1);
        fields.put(k2, v2);
        return fields;
    }

    private static String number(long value) {
        return value < 0 ? NONE : Long.toString(value);
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
