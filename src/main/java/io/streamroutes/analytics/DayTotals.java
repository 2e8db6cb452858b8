package io.streamroutes.analytics;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What one day's events add to its report if none of them was counted before: each entry id once (the first time it
 * appears), the orders created and paid, the revenue, the ignored events and the distinct users among them.
 *
 * @param entryIds     the distinct entry ids, in the order the events came
 * @param userIds      the distinct non-empty user ids
 * @param created      order_created events
 * @param paid         order_paid events
 * @param revenueCents sum of the order_paid amounts
 * @param ignored      events of other types
 */
record DayTotals(List<String> entryIds, Set<String> userIds, long created, long paid, long revenueCents, long ignored) {

    static DayTotals of(List<BusinessEvent> events) {
        Set<String> ids = new HashSet<>(events.size() * 2);
        List<String> entryIds = new ArrayList<>(events.size());
        Set<String> userIds = new LinkedHashSet<>();
        long created = 0;
        long paid = 0;
        long revenue = 0;
        long ignored = 0;
        for (BusinessEvent event : events) {
            if (!ids.add(event.entryId())) {
                continue;
            }
            entryIds.add(event.entryId());
            switch (event.type()) {
                case BusinessEvent.ORDER_CREATED -> created++;
                case BusinessEvent.ORDER_PAID -> {
                    paid++;
                    // at most 12 digits each: a long holds millions of them
                    revenue = Math.addExact(revenue, event.amountCents());
                }
                default -> ignored++;
            }
            if (!event.userId().isEmpty()) {
                userIds.add(event.userId());
            }
        }
        return new DayTotals(entryIds, userIds, created, paid, revenue, ignored);
    }
}
