package io.streamroutes.analytics;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class DayTotalsTest {

    private static BusinessEvent event(String id, String type, String user, long amount) {
        return new BusinessEvent(id, BusinessEvent.day(id), type, user, amount);
    }

    @Test
    void sumsEachEntryOnceAndListsTheDistinctUsers() {
        BusinessEvent created = event("1700000000000-0", BusinessEvent.ORDER_CREATED, "7", 0);
        BusinessEvent paid = event("1700000000000-1", BusinessEvent.ORDER_PAID, "7", 1999);
        BusinessEvent other = event("1700000000001-0", "page_viewed", "", 0);
        BusinessEvent paidFree = event("1700000000002-0", BusinessEvent.ORDER_PAID, "8", 0);

        DayTotals totals = DayTotals.of(List.of(created, paid, other, paid, paidFree, created));

        assertEquals(List.of("1700000000000-0", "1700000000000-1", "1700000000001-0", "1700000000002-0"), totals.entryIds());
        assertEquals(Set.of("7", "8"), totals.userIds());
        assertEquals(1, totals.created());
        assertEquals(2, totals.paid());
        assertEquals(1999, totals.revenueCents());
        assertEquals(1, totals.ignored());
    }

    @Test
    void revenueBeyondALongIsAnErrorNotAWrongSum() {
        List<BusinessEvent> events = new java.util.ArrayList<>();
        for (int i = 0; i < 9_300_000; i += 1000) {
            // 9 300 entries of 10^15 cents: not events of the 12-digit kind, but the sum must not wrap round
            events.add(event("1700000000000-" + i, BusinessEvent.ORDER_PAID, "u", 1_000_000_000_000_000L));
        }
        assertThrows(ArithmeticException.class, () -> DayTotals.of(events));
    }
}
