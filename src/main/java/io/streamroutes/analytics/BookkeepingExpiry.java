package io.streamroutes.analytics;

import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * When a day's bookkeeping keys (counted entry ids, distinct users) may go: {@code retention} after the later of the
 * day's end (UTC) and now. Counting from now as well keeps the keys of an old day that is being replayed or still
 * receives redelivered entries, so an entry is never counted twice and {@code users} never restarts from zero while
 * the day is still being counted; a redelivery later than the retention would be counted again.
 */
final class BookkeepingExpiry {

    private BookkeepingExpiry() {
    }

    /** Unix time in ms at which the bookkeeping of {@code day} ({@code yyyy-mm-dd}) expires. */
    static long expireAt(String day, long nowMillis, long retentionMillis) {
        long dayEnd = LocalDate.parse(day).plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        return Math.max(dayEnd, nowMillis) + retentionMillis;
    }
}
