package io.streamroutes.ratelimit;

import java.util.OptionalLong;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RateLimitRateTest {

    @Test
    void noValueMeansNoLimit() {
        assertEquals(OptionalLong.empty(), RateLimitRate.intervalMicros("x.rate-limit", null));
        assertEquals(OptionalLong.empty(), RateLimitRate.intervalMicros("x.rate-limit", " "));
    }

    @Test
    void callsPerSecondBecomeTheTimeBetweenTwoCallsRoundedUp() {
        assertEquals(OptionalLong.of(50_000), RateLimitRate.intervalMicros("x.rate-limit", "20"));
        assertEquals(OptionalLong.of(333_334), RateLimitRate.intervalMicros("x.rate-limit", "3"));
        assertEquals(OptionalLong.of(2_000_000), RateLimitRate.intervalMicros("x.rate-limit", " 0.5 "));
        assertEquals(OptionalLong.of(1), RateLimitRate.intervalMicros("x.rate-limit", "5000000"));
    }

    @Test
    void anythingButAPositiveNumberIsAConfigurationErrorNamingTheSetting() {
        for (String bad : new String[] {"0", "-3", "fast", "NaN", "Infinity", "20/s"}) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> RateLimitRate.intervalMicros("integration.provider.stripe.rate-limit", bad), bad);
            assertTrue(e.getMessage().startsWith("integration.provider.stripe.rate-limit must be a positive number"), e.getMessage());
        }
    }
}
