package io.streamroutes.analytics;

import java.time.LocalDate;
import java.util.Map;

import io.streamroutes.component.redisstreams.RedisStreamsNonRetryableException;

/**
 * One {@code business:events} entry as the reports see it. The day comes from the entry id's millisecond time, in UTC,
 * never from the clock, so live processing and a replay put every entry on the same day.
 *
 * @param entryId     the stream entry id, the key of the idempotency bookkeeping
 * @param day         UTC day of the entry id, {@code yyyy-mm-dd}
 * @param type        {@code order_created}, {@code order_paid}, or anything else (counted as ignored)
 * @param userId      the user, empty for ignored types
 * @param amountCents revenue of an {@code order_paid}, 0 when absent
 */
public record BusinessEvent(String entryId, String day, String type, String userId, long amountCents) {

    public static final String ORDER_CREATED = "order_created";
    public static final String ORDER_PAID = "order_paid";

    private static final long DAY_MS = 86_400_000L;
    /** The day of the last id looked at (no lock needed: a stale one is merely computed again). */
    private static volatile LastDay lastDay;

    private record LastDay(long epochDay, String day) {
    }

    public boolean isIgnored() {
        return !ORDER_CREATED.equals(type) && !ORDER_PAID.equals(type);
    }

    /**
     * Validates the entry's fields (the amount: whole cents, at most 12 digits, so that summing a day's revenue cannot
     * overflow Redis' 64-bit counters): an entry that can never be counted (no type, no order id or user id on an order
     * event, an amount that is not whole non-negative cents) is a permanent error and goes to the dead-letter stream.
     */
    public static BusinessEvent parse(String entryId, Map<String, String> fields) {
        String day = day(entryId);
        String type = fields.get("type");
        if (type == null || type.isBlank()) {
            throw malformed(entryId, "missing type");
        }
        if (!ORDER_CREATED.equals(type) && !ORDER_PAID.equals(type)) {
            return new BusinessEvent(entryId, day, type, "", 0);
        }
        if (blank(fields.get("order_id"))) {
            throw malformed(entryId, "missing order_id on " + type);
        }
        String userId = fields.get("user_id");
        if (blank(userId)) {
            throw malformed(entryId, "missing user_id on " + type);
        }
        long amount = 0;
        String rawAmount = fields.get("amount");
        if (ORDER_PAID.equals(type) && rawAmount != null) {
            if (rawAmount.length() > 12 || !digits(rawAmount, 0, rawAmount.length())) {
                throw malformed(entryId, "amount must be whole cents (0 to 12 digits, no sign or decimals), got '"
                                         + (rawAmount.length() > 40 ? rawAmount.substring(0, 40) + "..." : rawAmount) + "'");
            }
            amount = Long.parseLong(rawAmount);
        }
        return new BusinessEvent(entryId, day, type, userId, amount);
    }

    /** UTC day of a stream entry id's millisecond part. */
    public static String day(String entryId) {
        int dash = entryId == null ? -1 : entryId.indexOf('-');
        if (dash < 0 || !digits(entryId, 0, dash) || !digits(entryId, dash + 1, entryId.length())) {
            throw new IllegalArgumentException("not a stream entry id: " + entryId);
        }
        long epochDay = Math.floorDiv(Long.parseLong(entryId, 0, dash, 10), DAY_MS);
        // a stream's entries come in id order: most follow one of the same day
        LastDay last = lastDay;
        if (last == null || last.epochDay() != epochDay) {
            last = new LastDay(epochDay, LocalDate.ofEpochDay(epochDay).toString());
            lastDay = last;
        }
        return last.day();
    }

    /** Whether {@code s} has only ASCII digits from {@code from} to {@code to}, and at least one. */
    private static boolean digits(String s, int from, int to) {
        if (from >= to) {
            return false;
        }
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /** Orders stream entry ids numerically (millisecond time, then sequence). */
    public static int compareIds(String a, String b) {
        String[] x = a.split("-", 2);
        String[] y = b.split("-", 2);
        int c = Long.compareUnsigned(Long.parseUnsignedLong(x[0]), Long.parseUnsignedLong(y[0]));
        return c != 0 ? c : Long.compareUnsigned(Long.parseUnsignedLong(x[1]), Long.parseUnsignedLong(y[1]));
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static RedisStreamsNonRetryableException malformed(String entryId, String reason) {
        return new RedisStreamsNonRetryableException("malformed business event " + entryId + ": " + reason);
    }
}
