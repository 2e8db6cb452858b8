package io.streamroutes.ratelimit;

import java.util.OptionalLong;

/** Reads a {@code ...rate-limit} setting (calls per second) as the time between two calls. */
final class RateLimitRate {

    private RateLimitRate() {
    }

    /**
     * Microseconds between two calls for {@code value} calls per second (rounded up, so the limit is never exceeded),
     * or empty when the setting has no value (no limit). Anything else than a positive number is a configuration
     * error, reported with the setting's name.
     */
    static OptionalLong intervalMicros(String setting, String value) {
        if (value == null || value.isBlank()) {
            return OptionalLong.empty();
        }
        double perSecond;
        try {
            perSecond = Double.parseDouble(value.strip());
        } catch (NumberFormatException e) {
            perSecond = Double.NaN;
        }
        if (!(perSecond > 0) || Double.isInfinite(perSecond)) {
            throw new IllegalStateException(setting + " must be a positive number of calls per second, was '" + value.strip()
                                            + "' (leave it empty or unset for no limit)");
        }
        return OptionalLong.of(Math.max(1, (long) Math.ceil(1_000_000 / perSecond)));
    }
}
