package io.streamroutes.component.redisstreams;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import org.apache.camel.Exchange;
import org.apache.camel.spi.Synchronization;
import org.apache.camel.util.ObjectHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One reading thread of a consumer endpoint, with its own consumer name and Redis connection. It reads a batch,
 * hands every entry to the route, and acks entries whose exchange completed successfully before the next read.
 * <p>
 * Acks and dead letters are queued by the exchanges' completion callbacks (which may run on other threads when a
 * route completes asynchronously) and written by this thread, which owns the connection.
 */
final class StreamReader implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(StreamReader.class);

    static final long INITIAL_BACKOFF_MS = 100;
    static final long MAX_BACKOFF_MS = 5000;
    /** Rejected credentials will not fix themselves quickly: retry rarely instead of hammering the server. */
    static final long AUTH_BACKOFF_MS = 30000;
    /** Read wait while completions are outstanding, so their acks are not held back by a long BLOCK. */
    static final long SHORT_BLOCK_MS = 50;
    private static final int MAX_ACKS_PER_CALL = 1000;

    private final RedisStreamsConsumer consumer;
    private final RedisStreamsConfiguration config;
    private final RedisStreamsStatistics statistics;
    private final String key;
    private final String group;
    private final String name;
    private final int capacity;
    private final Semaphore inFlight;
    private final Queue<String> acks = new ConcurrentLinkedQueue<>();
    private final Queue<DeadLetter> deadLetters = new ConcurrentLinkedQueue<>();
    /**
     * Entries this reader holds: handed to the route and not yet completed, or read and waiting for their turn in the
     * current batch, with the time they were read or handed over. A pending re-read or a claim does not deliver them
     * twice, and the keep-alive refreshes those held long, so that no other consumer claims an entry that merely
     * waits behind a slow one.
     */
    private final Map<String, Long> inFlightSince = new ConcurrentHashMap<>();
    private final Object sleeper = new Object();

    private volatile boolean running = true;
    private volatile boolean ready;
    private volatile String problem;
    private volatile long problemSince;
    private String problemKind;

    private RedisStreamsClient client;
    private boolean groupReady;
    private boolean readingOwnPending = true;
    private String pendingCursor = "0-0";
    private String plainCursor;
    private String claimCursor = "0-0";
    private long nextClaimAt;
    private long backoffMs = INITIAL_BACKOFF_MS;
    /** Entries read ahead while the previous batch was processed, not yet handed to the route. */
    private List<StreamEntry> readAhead;
    private long readAheadSentAt;

    StreamReader(RedisStreamsConsumer consumer, String name) {
        this.consumer = consumer;
        this.config = consumer.getEndpoint().getConfiguration();
        this.statistics = consumer.getStatistics();
        this.key = consumer.getEndpoint().getStreamKey();
        this.group = config.getGroup();
        this.name = name;
        this.capacity = config.getCount();
        this.inFlight = new Semaphore(capacity);
        this.nextClaimAt = System.currentTimeMillis();
    }

    String getName() {
        return name;
    }

    /** True after the first successful read, until Redis becomes unreachable or the group is missing. */
    boolean isHealthy() {
        return ready && problem == null;
    }

    String getProblem() {
        return problem != null ? problem : ready ? null : "waiting for the first successful read from Redis";
    }

    long getProblemSince() {
        return problemSince;
    }

    /** Ids of this reader's exchanges that have been running for at least {@code minAgeMs}. */
    List<String> inFlightLongerThan(long minAgeMs) {
        long cutoff = System.currentTimeMillis() - minAgeMs;
        List<String> ids = new ArrayList<>();
        inFlightSince.forEach((id, since) -> {
            if (since <= cutoff) {
                ids.add(id);
            }
        });
        return ids;
    }

    void stop() {
        running = false;
        synchronized (sleeper) {
            sleeper.notifyAll();
        }
    }

    @Override
    public void run() {
        try {
            while (running && consumer.isRunAllowed()) {
                try {
                    connect();
                    boolean claim = claimDue();
                    flush(!claim && group != null && !readingOwnPending);
                    if (claim) {
                        claim();
                    } else {
                        poll();
                    }
                    recovered();
                } catch (Exception e) {
                    if (!running) {
                        break;
                    }
                    failed(e);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            finishInFlightAndFlush();
        }
    }

    private void connect() {
        openClient();
        if (group != null && !groupReady) {
            if (config.isCreateGroup() && client.createGroup(key, group, config.getStartId())) {
                LOG.info("Created consumer group '{}' on stream '{}' at id {}", group, key, config.getStartId());
            }
            groupReady = true;
        }
        if (group == null && plainCursor == null) {
            plainCursor = "$".equals(config.getStartId()) ? client.lastId(key) : config.getStartId();
        }
    }

    private boolean claimDue() {
        return group != null && config.getClaimInterval() > 0 && !readingOwnPending
               && System.currentTimeMillis() >= nextClaimAt;
    }

    private void poll() throws InterruptedException {
        int room = inFlight.availablePermits();
        if (room == 0) {
            // bounded in-flight: a slow route slows reading instead of buffering
            if (inFlight.tryAcquire(SHORT_BLOCK_MS, TimeUnit.MILLISECONDS)) {
                inFlight.release();
            }
            return;
        }
        if (group == null) {
            List<StreamEntry> entries = client.read(key, room, blockTime(), plainCursor);
            ready = true;
            for (StreamEntry entry : entries) {
                plainCursor = entry.id();
                dispatch(entry, 1);
            }
        } else if (readingOwnPending) {
            // a restarted consumer first finishes what it had been given before
            List<StreamEntry> entries = client.readGroup(key, group, name, room, 0, pendingCursor);
            ready = true;
            if (entries.isEmpty()) {
                readingOwnPending = false;
            }
            for (StreamEntry entry : entries) {
                pendingCursor = entry.id();
                if (inFlightSince.containsKey(entry.id()) || acks.contains(entry.id())) {
                    continue; // still being processed, or done and waiting for its ack
                }
                if (entry.isDeleted()) {
                    ackDeleted(entry.id());
                } else {
                    dispatch(entry, client.deliveryCount(key, group, entry.id()));
                }
            }
        } else {
            List<StreamEntry> entries = readAhead != null ? readAheadStillOurs() : ackThenRead(room);
            ready = true;
            hold(entries);
            // a full batch while the route keeps up means a backlog: have Redis serve the next batch meanwhile
            List<String> aheadAcks = entries.size() == capacity && room == capacity && running ? takeAcks() : null;
            RedisStreamsClient.ReadAhead next = aheadAcks != null ? startReadAhead(aheadAcks) : null;
            for (StreamEntry entry : entries) {
                dispatch(entry, 1);
            }
            if (next != null) {
                receiveReadAhead(next, aheadAcks);
            }
        }
    }

    /** The acks of completed entries and the next read, in one round trip. */
    private List<StreamEntry> ackThenRead(int room) {
        List<String> ackBatch = takeAcks();
        try {
            RedisStreamsClient.AckedRead result = client.ackThenReadGroup(key, group, ackBatch, name, room, blockTime(), ">");
            statistics.acked(result.acked());
            return result.entries();
        } catch (RuntimeException e) {
            acks.addAll(ackBatch); // XACK is idempotent: sending them again is safe
            throw e;
        }
    }

    /** Sends {@code ackBatch} and the next read without waiting; null (acks queued again) where that cannot be done. */
    private RedisStreamsClient.ReadAhead startReadAhead(List<String> ackBatch) {
        readAheadSentAt = System.currentTimeMillis();
        RedisStreamsClient.ReadAhead next = client.startAckThenReadGroup(key, group, ackBatch, name, capacity, ">");
        if (next == null) {
            acks.addAll(ackBatch); // this connection cannot pipeline: acks go with the next read
        }
        return next;
    }

    private void receiveReadAhead(RedisStreamsClient.ReadAhead next, List<String> sentAcks) {
        try {
            RedisStreamsClient.AckedRead result = next.receive();
            statistics.acked(result.acked());
            readAhead = result.entries().isEmpty() ? null : result.entries();
        } catch (RuntimeException e) {
            acks.addAll(sentAcks);
            throw e;
        }
    }

    /**
     * The entries read ahead, minus any another consumer has claimed meanwhile: they were not held (so not kept alive)
     * while the previous batch ran, which matters only when that took a good part of {@code minIdleTime}.
     */
    private List<StreamEntry> readAheadStillOurs() {
        List<StreamEntry> entries = takeReadAhead();
        if (System.currentTimeMillis() - readAheadSentAt < config.getMinIdleTime() / 2) {
            return entries;
        }
        Set<String> ours = new HashSet<>(client.pendingIds(key, group, name, entries.get(0).id(),
                entries.get(entries.size() - 1).id(), entries.size()));
        List<StreamEntry> kept = entries.stream().filter(entry -> ours.contains(entry.id())).toList();
        if (kept.size() < entries.size()) {
            LOG.info("Stream '{}' consumer '{}': {} entries read ahead were claimed by another consumer while the previous batch "
                     + "ran; not processing them here", key, name, entries.size() - kept.size());
        }
        return kept;
    }

    private void hold(List<StreamEntry> entries) {
        Long now = System.currentTimeMillis();
        for (StreamEntry entry : entries) {
            inFlightSince.put(entry.id(), now);
        }
    }

    private List<StreamEntry> takeReadAhead() {
        List<StreamEntry> entries = readAhead;
        readAhead = null;
        return entries;
    }

    private long blockTime() {
        long block = config.getBlock();
        if (inFlight.availablePermits() < capacity || !acks.isEmpty() || !deadLetters.isEmpty()) {
            block = Math.min(block, SHORT_BLOCK_MS);
        }
        if (group != null && config.getClaimInterval() > 0) {
            block = Math.min(block, Math.max(1, nextClaimAt - System.currentTimeMillis()));
        }
        return block;
    }

    /** One XAUTOCLAIM step: takes over entries idle longer than minIdleTime, from any consumer. */
    private void claim() {
        int room = inFlight.availablePermits();
        if (room == 0) {
            nextClaimAt = System.currentTimeMillis() + SHORT_BLOCK_MS;
            return;
        }
        AutoClaimResult result = client.autoClaim(key, group, name, config.getMinIdleTime(), claimCursor, room);
        if (result.isSweepComplete()) {
            claimCursor = "0-0";
            nextClaimAt = System.currentTimeMillis() + config.getClaimInterval();
        } else {
            claimCursor = result.nextCursor();
        }
        for (String id : result.deletedIds()) {
            ackDeleted(id);
        }
        if (result.unnamedDeletions()) {
            ackDeletedOwnPending();
        }
        if (!result.entries().isEmpty()) {
            statistics.claimed(result.entries().size());
            LOG.debug("Claimed {} idle entries of stream '{}' for consumer '{}'", result.entries().size(), key, name);
        }
        for (StreamEntry entry : result.entries()) {
            if (inFlightSince.containsKey(entry.id()) || acks.contains(entry.id())) {
                continue; // our own slow exchange: claiming it only refreshed its idle time
            }
            long deliveries = client.deliveryCount(key, group, entry.id());
            if (config.getMaxDeliveries() > 0 && deliveries > config.getMaxDeliveries() && config.getDeadLetterStream() != null) {
                // earlier deliveries never completed (e.g. the process died while handling it): do not try again
                deadLetters.add(DeadLetter.of(entry, key, group, deliveries,
                        "delivered " + deliveries + " times without completing (maxDeliveries=" + config.getMaxDeliveries() + ")"));
            } else {
                dispatch(entry, deliveries);
            }
        }
        flush();
    }

    /** A pending entry that was deleted or trimmed from the stream cannot be processed: drop it from the PEL. */
    private void ackDeleted(String id) {
        LOG.warn("Pending entry {} of stream '{}' no longer exists (deleted or trimmed); acknowledging it", id, key);
        acks.add(id);
    }

    private void ackDeletedOwnPending() {
        for (String id : client.pendingIds(key, group, name, 1000)) {
            if (!client.exists(key, id)) {
                ackDeleted(id);
            }
        }
    }

    private void dispatch(StreamEntry entry, long deliveryCount) {
        inFlight.acquireUninterruptibly();
        inFlightSince.putIfAbsent(entry.id(), System.currentTimeMillis()); // a held entry keeps the time it was read
        Exchange exchange = consumer.createExchange(false);
        exchange.setIn(new RedisStreamsMessage(exchange, key, entry, deliveryCount, group, name));
        if (group != null) {
            exchange.getExchangeExtension().addOnCompletion(new EntryCompletion(entry, deliveryCount));
        }
        statistics.delivered();
        try {
            consumer.getAsyncProcessor().process(exchange, doneSync -> {
                if (group == null && exchange.isFailed()) {
                    statistics.failed(DeadLetter.describe(exchange.getException()));
                }
                consumer.releaseExchange(exchange, false);
                inFlightSince.remove(entry.id());
                inFlight.release();
            });
        } catch (RuntimeException e) {
            // the route could not even start processing: the entry stays pending and is retried
            consumer.getExceptionHandler().handleException("Error dispatching stream entry " + entry.id(), exchange, e);
            inFlightSince.remove(entry.id());
            inFlight.release();
        }
    }

    /** Writes queued acks and dead letters; what cannot be written stays queued for the next attempt. */
    private void flush() {
        flush(false);
    }

    /**
     * Writes queued acks and dead letters; what cannot be written stays queued for the next attempt. With
     * {@code acksRideOnNextRead} the acks are left for the next XREADGROUP, which sends them in the same round trip.
     */
    private void flush(boolean acksRideOnNextRead) {
        if (client == null) {
            return;
        }
        if (!acksRideOnNextRead) {
            List<String> batch;
            while (!(batch = takeAcks()).isEmpty()) {
                try {
                    statistics.acked(client.ack(key, group, batch));
                } catch (RuntimeException e) {
                    acks.addAll(batch);
                    throw e;
                }
            }
        }
        DeadLetter deadLetter;
        while ((deadLetter = deadLetters.peek()) != null) {
            writeDeadLetter(deadLetter);
            deadLetters.poll();
        }
    }

    /** Up to one XACK's worth of queued acks. */
    private List<String> takeAcks() {
        List<String> batch = new ArrayList<>();
        String id;
        while (batch.size() < MAX_ACKS_PER_CALL && (id = acks.poll()) != null) {
            batch.add(id);
        }
        return batch;
    }

    private void writeDeadLetter(DeadLetter deadLetter) {
        String target = config.getDeadLetterStream();
        try {
            if (DeadLetterMove.move(client, config, key, deadLetter)) {
                statistics.deadLettered();
                LOG.warn("Entry {} of stream '{}' moved to dead-letter stream '{}'", deadLetter.id(), key, target);
            } else {
                LOG.info("Entry {} of stream '{}' was no longer pending (acked elsewhere); not dead-lettered", deadLetter.id(), key);
            }
        } catch (RuntimeException e) {
            if (RedisErrors.isConnectionFailure(e)) {
                throw e; // retried after reconnecting
            }
            // Redis refused the write (e.g. the target key is not a stream): keep the entry pending, never lose it
            LOG.error("Could not dead-letter entry {} of stream '{}' to '{}': {}. It stays pending.", deadLetter.id(), key,
                    target, RedisErrors.describe(e));
        }
    }

    private void failed(Exception e) throws InterruptedException {
        String kind;
        String description;
        long wait = backoffMs;
        if (RedisErrors.hasCode(e, "NOGROUP")) {
            groupReady = false;
            readingOwnPending = true;
            pendingCursor = "0-0";
            readAhead = null; // read from the lost group
            kind = "NOGROUP";
            description = config.isCreateGroup()
                    ? "consumer group '" + group + "' of stream '" + key
                      + "' is gone (Redis restarted without persistence, or XGROUP DESTROY); re-creating it at " + config.getStartId()
                    : "consumer group '" + group + "' does not exist on stream '" + key + "' and createGroup=false";
        } else if (RedisErrors.hasCode(e, "WRONGTYPE")) {
            kind = "WRONGTYPE";
            description = "Redis key '" + key + "' does not hold a stream";
        } else if (RedisErrors.isAuthFailure(e)) {
            closeClient();
            kind = "AUTH";
            description = "Redis rejected the credentials: " + RedisErrors.describe(e);
            wait = Math.max(wait, AUTH_BACKOFF_MS);
        } else if (RedisErrors.isConnectionFailure(e)) {
            closeClient();
            // a read whose reply was lost still moved entries into our pending list: re-read it after reconnecting
            readingOwnPending = group != null;
            pendingCursor = "0-0";
            readAhead = null; // pending too: the re-read delivers it again
            kind = "CONNECTION";
            description = "Redis unreachable: " + RedisErrors.describe(e);
        } else {
            closeClient();
            description = RedisErrors.describe(e);
            kind = description;
        }
        if (!kind.equals(problemKind)) {
            // one line per outage or change of cause, not one per retry
            if (problem == null) {
                problemSince = System.currentTimeMillis();
            }
            LOG.warn("Stream '{}' consumer '{}': {}. Retrying with backoff up to {} ms.", key, name, description,
                    Math.max(wait, MAX_BACKOFF_MS));
            LOG.debug("Cause", e);
            problemKind = kind;
        }
        problem = description;
        sleep(wait);
        backoffMs = Math.min(backoffMs * 2, MAX_BACKOFF_MS);
    }

    private void recovered() {
        if (problem != null) {
            LOG.info("Stream '{}' consumer '{}' is reading again after {} ms", key, name, System.currentTimeMillis() - problemSince);
            problem = null;
            problemKind = null;
        }
        backoffMs = INITIAL_BACKOFF_MS;
    }

    private void sleep(long ms) throws InterruptedException {
        synchronized (sleeper) {
            if (running) {
                sleeper.wait(ms);
            }
        }
    }

    /** On stop: let exchanges in flight complete so their acks are written; unfinished entries stay pending. */
    private void finishInFlightAndFlush() {
        try {
            long deadline = System.currentTimeMillis() + consumer.getShutdownTimeoutMillis();
            while (inFlight.availablePermits() < capacity && System.currentTimeMillis() < deadline) {
                if (inFlight.tryAcquire(capacity, SHORT_BLOCK_MS, TimeUnit.MILLISECONDS)) {
                    inFlight.release(capacity);
                    break;
                }
            }
            if (!acks.isEmpty() || !deadLetters.isEmpty()) {
                openClient();
                flush();
            }
            releaseReadAhead();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.warn("Stream '{}' consumer '{}' interrupted while stopping; {} acks not written, their entries stay pending",
                    key, name, acks.size());
        } catch (RuntimeException e) {
            LOG.warn("Stream '{}' consumer '{}' could not write {} acks or release the entries read ahead on stop ({}); "
                     + "they stay pending and are redelivered", key, name, acks.size(), RedisErrors.describe(e));
        } finally {
            closeClient();
        }
    }

    /**
     * Entries read ahead but not handed to the route when the consumer stops: rather than processing another batch
     * during shutdown, they are made claimable by the other consumers at once, as first deliveries.
     */
    private void releaseReadAhead() {
        if (readAhead == null) {
            return;
        }
        List<String> ids = takeReadAhead().stream().map(StreamEntry::id).toList();
        openClient();
        client.release(key, group, name, ids, config.getMinIdleTime());
        LOG.debug("Stream '{}' consumer '{}' released {} entries read ahead", key, name, ids.size());
    }

    private void openClient() {
        if (client == null) {
            client = consumer.getEndpoint().newClient();
        }
    }

    private void closeClient() {
        if (client != null) {
            client.close();
            client = null;
        }
    }

    /** Acks a successfully completed exchange's entry; decides the fate of a failed one. */
    private final class EntryCompletion implements Synchronization {
        private final StreamEntry entry;
        private final long deliveryCount;

        EntryCompletion(StreamEntry entry, long deliveryCount) {
            this.entry = entry;
            this.deliveryCount = deliveryCount;
        }

        @Override
        public void onComplete(Exchange exchange) {
            acks.add(entry.id());
        }

        @Override
        public void onFailure(Exchange exchange) {
            Throwable error = exchange.getException();
            String description = DeadLetter.describe(error);
            statistics.failed(description);
            boolean nonRetryable = ObjectHelper.getException(RedisStreamsNonRetryableException.class, error) != null;
            boolean exhausted = config.getMaxDeliveries() > 0 && deliveryCount >= config.getMaxDeliveries();
            if ((nonRetryable || exhausted) && config.getDeadLetterStream() != null) {
                deadLetters.add(DeadLetter.of(entry, key, group, deliveryCount, description));
            } else if (nonRetryable) {
                LOG.warn("Entry {} of stream '{}' failed permanently but no deadLetterStream is set; it stays pending: {}",
                        entry.id(), key, description);
            } else {
                LOG.debug("Entry {} of stream '{}' failed (delivery {}); it stays pending for a retry: {}", entry.id(), key,
                        deliveryCount, description);
            }
        }
    }
}
