package io.streamroutes.component.redisstreams.consumer.support;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The waiting retries and the consumer pause, without a server. */
class RetryQueueTest {

    @Test
    void dueEntriesComeOutEarliestFirstAndAtMostAsManyAsThereIsRoomFor() {
        RetryQueue queue = new RetryQueue();
        queue.add(new RetryQueue.Retry("3-0", 300, 1, false));
        queue.add(new RetryQueue.Retry("1-0", 100, 2, false));
        queue.add(new RetryQueue.Retry("2-0", 200, 1, true));
        assertEquals(100, queue.nextDueAtMillis());
        assertEquals(List.of(), queue.takeDue(99, 10));
        assertEquals(List.of("1-0", "2-0"), queue.takeDue(250, 10).stream().map(RetryQueue.Retry::id).toList());
        queue.add(new RetryQueue.Retry("4-0", 150, 1, false));
        assertEquals(List.of("4-0"), queue.takeDue(1000, 1).stream().map(RetryQueue.Retry::id).toList());
        assertEquals(1, queue.size());
        assertTrue(queue.contains("3-0"));
    }

    @Test
    void addingAnEntryAgainReschedulesIt() {
        RetryQueue queue = new RetryQueue();
        queue.add(new RetryQueue.Retry("1-0", 100, 1, false));
        queue.add(new RetryQueue.Retry("1-0", 500, 1, true));
        assertEquals(1, queue.size());
        assertEquals(500, queue.nextDueAtMillis());
        assertEquals(List.of(), queue.takeDue(400, 10));
        assertTrue(queue.takeDue(500, 10).get(0).keepCount());
    }

    @Test
    void removedAndClearedEntriesAreGone() {
        RetryQueue queue = new RetryQueue();
        queue.add(new RetryQueue.Retry("1-0", 100, 1, false));
        queue.add(new RetryQueue.Retry("2-0", 200, 1, false));
        assertEquals("1-0", queue.remove("1-0").id());
        assertNull(queue.remove("1-0"));
        assertFalse(queue.contains("1-0"));
        assertEquals(200, queue.nextDueAtMillis());
        queue.clear();
        assertEquals(Long.MAX_VALUE, queue.nextDueAtMillis());
        assertEquals(0, queue.size());
    }
}
