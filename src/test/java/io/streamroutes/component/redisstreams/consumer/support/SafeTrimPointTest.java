package io.streamroutes.component.redisstreams.consumer.support;

import java.util.List;

import io.streamroutes.component.redisstreams.consumer.support.SafeTrimPoint.GroupProgress;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The trim decision alone, with a fixed clock and no server. */
class SafeTrimPointTest {

    private static final long NOW = 10_000_000;
    private static final long HOUR = 3_600_000;

    @Test
    void aStreamWithoutGroupsIsNeverTrimmed() {
        assertNull(SafeTrimPoint.minId(List.of(), NOW, HOUR));
    }

    @Test
    void everythingFinishedIsTrimmedUpToTheAgeLimit() {
        // the group has read and acked far beyond the cutoff: the age decides
        assertEquals((NOW - HOUR) + "-0", SafeTrimPoint.minId(List.of(new GroupProgress("g", NOW + "-5", null)), NOW, HOUR));
    }

    @Test
    void theOldestPendingEntryIsKept() {
        assertEquals("5000-1", SafeTrimPoint.minId(List.of(new GroupProgress("g", "9000000-0", "5000-1")), NOW, HOUR));
    }

    @Test
    void withNothingPendingEntriesUpToTheLastDeliveredGo() {
        // next id after the last delivered one: that one is removed, anything newer (unread) stays
        assertEquals("5000-4", SafeTrimPoint.minId(List.of(new GroupProgress("g", "5000-3", null)), NOW, HOUR));
    }

    @Test
    void theGroupThatIsFurthestBehindDecides() {
        List<GroupProgress> groups = List.of(new GroupProgress("fast", "9000000-0", null), new GroupProgress("slow", "3000-0", null),
                new GroupProgress("pending", "9000000-0", "4000-0"));
        assertEquals("3000-1", SafeTrimPoint.minId(groups, NOW, HOUR));
    }

    @Test
    void aGroupThatReadNothingStopsAllTrimming() {
        assertNull(SafeTrimPoint.minId(List.of(new GroupProgress("new", "0-0", null), new GroupProgress("g", "9000000-0", null)),
                NOW, HOUR));
    }

    @Test
    void offOrAClockBeforeTheAgeMeansNoTrim() {
        assertNull(SafeTrimPoint.minId(List.of(new GroupProgress("g", "9000000-0", null)), NOW, 0));
        assertNull(SafeTrimPoint.minId(List.of(new GroupProgress("g", "9000000-0", null)), 1000, HOUR));
    }
}
