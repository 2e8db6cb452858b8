package io.streamroutes.analytics;

import java.util.Map;

import io.streamroutes.component.redisstreams.RedisStreamsNonRetryableException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class BusinessEventTest {

    @Test
    void theDayIsTheUtcDayOfTheIdsMilliseconds() {
        assertEquals("2023-11-14", BusinessEvent.day("1700006399999-5"));  // 2023-11-14T23:59:59.999Z
        assertEquals("2023-11-15", BusinessEvent.day("1700006400000-0"));  // midnight
        assertEquals("2023-11-14", BusinessEvent.day("1700006399999-0"));  // back to the previous day
        assertEquals("1970-01-01", BusinessEvent.day("0-1"));
        assertEquals("2025-12-31", BusinessEvent.day("1767225599999-18446744073709551615"));
    }

    @Test
    void anythingButAStreamIdIsNoDay() {
        for (String id : new String[] { null, "", "-", "1700000000000", "1700000000000-", "-1", "17000x0000000-0", "1700000000000-0-1",
                                        "+1700000000000-0", " 1700000000000-0", "99999999999999999999-0" }) {
            assertThrows(IllegalArgumentException.class, () -> BusinessEvent.day(id), String.valueOf(id));
        }
    }

    @Test
    void amountsAreWholeCentsOfAtMostTwelveDigits() {
        Map<String, String> paid = Map.of("type", "order_paid", "order_id", "1", "user_id", "2", "amount", "999999999999");
        assertEquals(999_999_999_999L, BusinessEvent.parse("1700000000000-0", paid).amountCents());
        for (String amount : new String[] { "1000000000000", "12.50", "-5", "+5", "", "1e3", "١٢" }) {
            Map<String, String> fields = Map.of("type", "order_paid", "order_id", "1", "user_id", "2", "amount", amount);
            assertThrows(RedisStreamsNonRetryableException.class, () -> BusinessEvent.parse("1700000000000-0", fields), amount);
        }
    }
}
