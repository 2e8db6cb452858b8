package io.streamroutes.component.redisstreams.client;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;


/**
 * A few {@link StreamCommands} kept in memory for the unit tests of the reader's bookkeeping (acks, dead letters,
 * reads ahead): one stream, one group, the group's pending ids. Not a Redis: behaviour is tested against real Redis.
 */
public final class InMemoryStreamCommands implements StreamCommands {

    final List<StreamEntry> stream = new ArrayList<>();
    public final Set<String> pending = new LinkedHashSet<>();
    public final List<String> acked = new ArrayList<>();
    public final List<DeadLetterEntry> deadLettered = new ArrayList<>();
    public final List<String> released = new ArrayList<>();
    /** Thrown by the next call (then cleared), to see what a failure leaves behind. */
    public RuntimeException failNext;
    public int ackCalls;
    /** When set, reads wait until it opens (a read ahead in flight on its I/O thread). */
    public volatile java.util.concurrent.CountDownLatch readGate;
    private int delivered;

    public InMemoryStreamCommands add(String... ids) {
        for (String id : ids) {
            stream.add(new StreamEntry(id, List.of("f".getBytes(StandardCharsets.UTF_8), id.getBytes(StandardCharsets.UTF_8))));
        }
        return this;
    }

    private void awaitGate() {
        java.util.concurrent.CountDownLatch gate = readGate;
        try {
            if (gate != null && !gate.await(10, java.util.concurrent.TimeUnit.SECONDS)) {
                throw new IllegalStateException("read gate not opened");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void maybeFail() {
        RuntimeException failure = failNext;
        failNext = null;
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public RedisStreamsClient.AckedRead ackThenReadGroup(GroupConsumer consumer, Collection<String> ackIds, int count, long blockMs,
                                                         String id) {
        maybeFail();
        awaitGate();
        long ackedNow = ack(consumer.streamGroup(), ackIds);
        ackCalls--; // in the same round trip as the read
        List<StreamEntry> read = new ArrayList<>(stream.subList(delivered, Math.min(stream.size(), delivered + count)));
        delivered += read.size();
        read.forEach(entry -> pending.add(entry.id()));
        return new RedisStreamsClient.AckedRead(ackedNow, read);
    }

    private record Sent(GroupConsumer consumer, List<String> ackIds, int count) {
    }

    private final java.util.Deque<Sent> sent = new java.util.ArrayDeque<>();
    /** The most reads sent and not yet received at one time. */
    public volatile int mostSentAtOnce;

    @Override
    public synchronized boolean sendAckThenReadGroup(GroupConsumer consumer, Collection<String> ackIds, int count) {
        sent.add(new Sent(consumer, List.copyOf(ackIds), count));
        mostSentAtOnce = Math.max(mostSentAtOnce, sent.size());
        return !ackIds.isEmpty();
    }

    @Override
    public RedisStreamsClient.AckedRead receiveAckedRead(boolean withAck) {
        Sent oldest;
        synchronized (this) {
            oldest = sent.poll();
        }
        return ackThenReadGroup(oldest.consumer(), oldest.ackIds(), oldest.count(), 0, ">");
    }

    @Override
    public long ack(StreamGroup from, Collection<String> ids) {
        maybeFail();
        ackCalls++;
        long count = 0;
        for (String id : ids) {
            if (pending.remove(id)) {
                acked.add(id);
                count++;
            }
        }
        return count;
    }

    @Override
    public boolean moveToDeadLetter(DeadLetterTarget target, StreamGroup from, DeadLetterEntry deadLetter) {
        maybeFail();
        if (!pending.remove(deadLetter.id())) {
            return false;
        }
        deadLettered.add(deadLetter);
        return true;
    }

    @Override
    public boolean canPipeline() {
        return true;
    }

    @Override
    public List<String> pendingIds(GroupConsumer consumer, String fromId, String toId, int count) {
        return pending.stream().filter(id -> StreamId.parse(id).compareTo(StreamId.parse(fromId)) >= 0
                                            && StreamId.parse(id).compareTo(StreamId.parse(toId)) <= 0).limit(count).toList();
    }

    @Override
    public void release(GroupConsumer consumer, List<String> ids, long idleMs) {
        released.addAll(ids);
    }

    @Override
    public void close() {
    }

    // not needed by the unit tests

    @Override
    public boolean createGroup(StreamGroup streamGroup, String startId) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void createConsumer(GroupConsumer consumer) {
        throw new UnsupportedOperationException();
    }

    @Override
    public String lastId(String key) {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<StreamEntry> read(String key, int count, long blockMs, String id) {
        throw new UnsupportedOperationException();
    }

    @Override
    public AutoClaimResult autoClaim(GroupConsumer consumer, long minIdleMs, String cursor, int count) {
        throw new UnsupportedOperationException();
    }

    @Override
    public long deliveryCount(StreamGroup from, String id) {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<String> pendingIds(GroupConsumer consumer, int count) {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<RedisStreamsClient.PendingEntry> pendingOf(GroupConsumer consumer, String afterId, int count) {
        throw new UnsupportedOperationException();
    }

    @Override
    public RedisStreamsClient.RetryClaim claimForRetry(GroupConsumer consumer, Map<String, Long> retryCounts) {
        throw new UnsupportedOperationException();
    }

    @Override
    public boolean exists(String key, String id) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Object eval(LuaScript script, int keyCount, String... keysAndArgs) {
        throw new UnsupportedOperationException();
    }
}
