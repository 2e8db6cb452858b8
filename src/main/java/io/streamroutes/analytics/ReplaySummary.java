package io.streamroutes.analytics;

import java.util.List;

/**
 * What a replay did.
 *
 * @param lastId         the newest entry id when the replay started: entries up to it were replayed
 * @param entriesRead    entries read from the stream (up to {@code lastId})
 * @param counted        entries counted by the replay
 * @param alreadyCounted entries the live route counted again meanwhile (after the reports were cleared)
 * @param ignored        entries of an unknown type (counted in the {@code ignored} field)
 * @param malformed      entries skipped as malformed (the live route dead-lettered them)
 * @param days           the UTC days rebuilt, in order
 * @param millis         duration
 */
public record ReplaySummary(String lastId, long entriesRead, long counted, long alreadyCounted, long ignored, long malformed,
                            List<String> days, long millis) {

    public int daysRebuilt() {
        return days.size();
    }

    @Override
    public String toString() {
        return "replayed " + entriesRead + " entries of business:events up to " + lastId + " (" + counted + " counted, "
               + alreadyCounted + " already counted by the live route, " + ignored + " ignored, " + malformed
               + " malformed) into " + days.size() + " daily reports" + (days.isEmpty() ? "" : " " + days.get(0) + ".." + days.get(days.size() - 1))
               + " in " + millis + " ms";
    }
}
