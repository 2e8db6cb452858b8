package io.streamroutes.page;

import java.util.List;

import io.streamroutes.component.redisstreams.ConsumerFigures;
import io.streamroutes.component.redisstreams.RedisStreamsStatistics;
import io.streamroutes.component.redisstreams.client.ScheduledEntries;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pending cell of the streams page shows the entries waiting for their key where the endpoint limits per key. */
class StreamsPageKeyWaitingTest {

    private static String page(int keyWaiting) {
        ConsumerFigures figures = new ConsumerFigures(
                new ConsumerFigures.Reading("integration", "integration:tasks", "payments", List.of("w1"), true, null),
                new RedisStreamsStatistics(),
                new ConsumerFigures.GroupFigures(40, 0, 12, 1500, 1, null),
                new ConsumerFigures.DeadLetterFigures(null, -1),
                new ConsumerFigures.JobControl(0, 0, 0, null, keyWaiting),
                new ScheduledEntries.Figures(0, 0));
        return new StreamsPage("token", 0).render(List.of(new StreamsPage.Row(figures, "Started", 1.0)), List.of(), null);
    }

    @Test
    void entriesWaitingForTheirKeyShowUnderPending() {
        assertTrue(page(7).contains("12<br><small>7 waiting for their key</small>"), page(7));
        assertTrue(page(0).contains("0 waiting for their key"), "an endpoint limited per key shows 0 too");
    }

    @Test
    void anEndpointWithoutAPerKeyLimitShowsNoKeyFigure() {
        assertFalse(page(-1).contains("waiting for their key"));
    }
}
