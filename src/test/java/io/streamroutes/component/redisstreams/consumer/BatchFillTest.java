package io.streamroutes.component.redisstreams.consumer;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import io.streamroutes.component.redisstreams.client.StreamEntry;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/** The batchingInterval decisions, on a fake clock: when to read again, for how many entries, how long. */
class BatchFillTest {

    private final AtomicLong now = new AtomicLong(1000);
    private final List<String> reads = new ArrayList<>();

    private static List<StreamEntry> entries(int n) {
        List<StreamEntry> list = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            list.add(new StreamEntry("1-" + i, List.of()));
        }
        return list;
    }

    /** A read returning {@code n} entries after waiting {@code waitMs} on the fake clock. */
    private BatchFill.Read returning(int n, long waitMs) {
        return (count, blockMs) -> {
            reads.add(count + "/" + blockMs);
            now.addAndGet(Math.min(waitMs, blockMs));
            return entries(Math.min(n, count));
        };
    }

    @Test
    void withoutAnIntervalAReadIsHandedOutAsItIs() {
        List<StreamEntry> first = entries(3);
        assertSame(first, new BatchFill(10, 0, now::get).fill(first, 10, () -> false, returning(5, 0)));
        assertEquals(List.of(), reads);
    }

    @Test
    void anEmptyOrFullReadIsNotFilled() {
        BatchFill fill = new BatchFill(10, 500, now::get);
        assertEquals(0, fill.fill(List.of(), 10, () -> false, returning(5, 0)).size());
        assertEquals(10, fill.fill(entries(10), 10, () -> false, returning(5, 0)).size());
        assertEquals(List.of(), reads);
    }

    @Test
    void readsForWhatIsMissingWithinTheInterval() {
        BatchFill fill = new BatchFill(10, 500, now::get);
        assertEquals(10, fill.fill(entries(3), 10, () -> false, returning(4, 100)).size());
        assertEquals(List.of("7/500", "3/400"), reads);
    }

    @Test
    void stopsWhenTheIntervalIsOver() {
        BatchFill fill = new BatchFill(10, 500, now::get);
        assertEquals(3, fill.fill(entries(3), 10, () -> false, returning(0, 1000)).size());
        assertEquals(List.of("7/500"), reads);
    }

    @Test
    void stopsWhenTheConsumerDrainsOrAReadFails() {
        BatchFill fill = new BatchFill(10, 500, now::get);
        assertEquals(3, fill.fill(entries(3), 10, () -> true, returning(4, 100)).size());
        assertEquals(3, fill.fill(entries(3), 10, () -> false, (count, block) -> {
            throw new IllegalStateException("connection reset");
        }).size());
    }
}
