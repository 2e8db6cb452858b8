package io.streamroutes.component.redisstreams;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The due time of an entry from the producer's headers, at a fixed time; no server. */
class DeliveryTimeTest {

    private static final long NOW = Instant.parse("2026-12-01T10:00:00Z").toEpochMilli();

    @Test
    void withoutHeadersTheEntryGoesAtOnce() {
        assertEquals(DeliveryTime.NOW, DeliveryTime.dueAtMillis(null, null, NOW));
    }

    @Test
    void deliverAtTakesEpochMillisAndIsoInstants() {
        assertEquals(NOW + 5000, DeliveryTime.dueAtMillis(NOW + 5000, null, NOW));
        assertEquals(NOW + 5000, DeliveryTime.dueAtMillis(Long.toString(NOW + 5000), null, NOW));
        assertEquals(NOW + 90_000, DeliveryTime.dueAtMillis("2026-12-01T10:01:30Z", null, NOW));
        assertEquals(NOW + 90_000, DeliveryTime.dueAtMillis(Instant.parse("2026-12-01T10:01:30Z"), null, NOW));
    }

    @Test
    void delayTakesDurationsLikeTheOptions() {
        assertEquals(NOW + 30_000, DeliveryTime.dueAtMillis(null, "30s", NOW));
        assertEquals(NOW + 15 * 60_000, DeliveryTime.dueAtMillis(null, "15m", NOW));
        assertEquals(NOW + 3_600_000, DeliveryTime.dueAtMillis(null, "PT1H", NOW));
        assertEquals(NOW + 250, DeliveryTime.dueAtMillis(null, "250", NOW));
        assertEquals(NOW + 250, DeliveryTime.dueAtMillis(null, 250, NOW));
        assertEquals(NOW + 2000, DeliveryTime.dueAtMillis(null, Duration.ofSeconds(2), NOW));
    }

    @Test
    void aTimeThatHasPassedOrNoDelayGoesAtOnce() {
        assertEquals(DeliveryTime.NOW, DeliveryTime.dueAtMillis(NOW - 1, null, NOW));
        assertEquals(DeliveryTime.NOW, DeliveryTime.dueAtMillis(null, "0s", NOW));
    }

    @Test
    void unreadableValuesAndBothHeadersAreRefusedWithTheHeaderName() {
        IllegalArgumentException at = assertThrows(IllegalArgumentException.class, () -> DeliveryTime.dueAtMillis("tomorrow", null, NOW));
        assertTrue(at.getMessage().contains("CamelRedisStreamsDeliverAt"), at.getMessage());
        IllegalArgumentException delay = assertThrows(IllegalArgumentException.class, () -> DeliveryTime.dueAtMillis(null, "soon", NOW));
        assertTrue(delay.getMessage().contains("CamelRedisStreamsDelay"), delay.getMessage());
        assertThrows(IllegalArgumentException.class, () -> DeliveryTime.dueAtMillis(null, -5, NOW));
        assertThrows(IllegalArgumentException.class, () -> DeliveryTime.dueAtMillis(NOW + 1, "1s", NOW));
    }
}
