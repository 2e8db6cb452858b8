package io.streamroutes.page;

import java.time.Clock;
import java.util.LinkedList;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Entries processed per second of each stream, from the samples of a counter taken whenever the page is rendered:
 * the increase over the last {@code window} (at least two samples apart), so a page refresh every few seconds shows a
 * steady figure.
 */
final class Throughput {

    private record Sample(long millis, long count) {
    }

    private final Clock clock;
    private final long windowMillis;
    private final Map<String, LinkedList<Sample>> samples = new ConcurrentHashMap<>();

    Throughput(Clock clock, long windowMillis) {
        this.clock = clock;
        this.windowMillis = windowMillis;
    }

    /** Records {@code count} for {@code key} now and returns the rate per second, or -1 until there are two samples. */
    double sample(String key, long count) {
        long now = clock.millis();
        LinkedList<Sample> deque = samples.computeIfAbsent(key, k -> new LinkedList<>());
        synchronized (deque) {
            if (!deque.isEmpty() && count < deque.peekLast().count()) {
                deque.clear(); // the counter started again (route restarted)
            }
            deque.addLast(new Sample(now, count));
            // drop samples older than the window, but keep one to measure against
            while (deque.size() > 2 && now - deque.get(1).millis() >= windowMillis) {
                deque.removeFirst();
            }
            Sample oldest = deque.peekFirst();
            long elapsed = now - oldest.millis();
            return elapsed <= 0 ? -1 : (count - oldest.count()) * 1000.0 / elapsed;
        }
    }
}
