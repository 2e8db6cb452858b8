package io.streamroutes.component.redisstreams;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import org.apache.camel.Exchange;
import org.apache.camel.ExchangePropertyKey;
import org.apache.camel.spi.ExceptionHandler;
import org.apache.camel.spi.Synchronization;
import org.apache.camel.support.LoggingExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One reading thread of a consumer endpoint, with its own consumer name and Redis connection. It reads a batch,
 * hands every entry to the route (on this thread, or with {@code concurrency} above 1 on the consumer's worker
 * threads), and acks entries whose exchange completed successfully with the next read. A failed entry stays pending
 * and waits in the {@link RetryQueue} for its next delivery, which this thread claims again when it is due.
 * <p>
 * Acks, dead letters and retries are queued by the exchanges' completion callbacks (which run on other threads when
 * the route runs on worker threads or completes asynchronously) and written by this thread, which owns the connection.
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
    /** Rows of this consumer's pending list looked at per XPENDING while resuming it. */
    private static final int OWN_PENDING_PAGE = 100;

    private final RedisStreamsConsumer consumer;
    private final RedisStreamsConfiguration config;
    private final RedisStreamsStatistics statistics;
    private final String key;
    private final String group;
    private final String name;
    /** The most entries this reader holds handed out and unfinished: max(count, concurrency). */
    private final int capacity;
    private final int batchSize;
    private final Semaphore inFlight;
    /** Where exchanges run when concurrency is above 1; null: on this thread. */
    private final Executor workers;
    private final DeliveryPolicy policy;
    private final ConsumerPause pause;
    private final RetryQueue retries = new RetryQueue();
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
    /** The exception behind {@link #problem}, for the health check. */
    private volatile Exception lastError;
    private String problemKind;

    private RedisStreamsClient client;
    private boolean groupReady;
    /** True until this consumer's pending list (left by an earlier run, or by a lost reply) has been scheduled again. */
    private boolean resumingOwnPending = true;
    private String ownPendingCursor;
    private String plainCursor;
    private String claimCursor = "0-0";
    private long nextClaimAt;
    private long backoffMs = INITIAL_BACKOFF_MS;
    /** Entries read ahead while the previous batch was processed, not yet handed to the route. */
    private List<StreamEntry> readAhead;
    private long readAheadSentAt;

    StreamReader(RedisStreamsConsumer consumer, String name, Executor workers) {
        this.consumer = consumer;
        this.config = consumer.getEndpoint().getConfiguration();
        this.statistics = consumer.getStatistics();
        this.key = consumer.getEndpoint().getStreamKey();
        this.group = config.getGroup();
        this.name = name;
        this.batchSize = config.getCount();
        this.capacity = Math.max(config.getCount(), config.getConcurrency());
        this.inFlight = new Semaphore(capacity);
        this.workers = workers;
        this.policy = DeliveryPolicy.of(config);
        this.pause = consumer.getPause();
        this.nextClaimAt = now();
    }

    private long now() {
        return consumer.getClock().millis();
    }

    /** Entries waiting for their next delivery. */
    int retryWaiting() {
        return retries.size();
    }

    /** When the earliest waiting entry is due (epoch ms), or {@link Long#MAX_VALUE}. */
    long nextRetryAtMillis() {
        return retries.nextDueAtMillis();
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

    /** The exception behind the current problem, or null. */
    Exception getLastError() {
        return problem != null ? lastError : null;
    }

    long getProblemSince() {
        return problemSince;
    }

    /** Ids of this reader's exchanges that have been running for at least {@code minAgeMs}. */
    List<String> inFlightLongerThan(long minAgeMs) {
        long cutoff = now() - minAgeMs;
        List<String> ids = new ArrayList<>();
        inFlightSince.forEach((id, since) -> {
            if (since <= cutoff) {
                ids.add(id);
            }
        });
        return ids;
    }

    /**
     * What a graceful shutdown still waits for on this reader: entries held (in flight, or read and waiting for their
     * turn in the current batch) and outcomes not yet written to Redis.
     */
    int pendingWork() {
        // while Redis fails, waiting for writes that cannot happen would only hold the shutdown until its timeout
        return inFlightSince.size() + (problem == null ? acks.size() + deadLetters.size() : 0);
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
                    if (group != null && pause.remainingMillis(now()) > 0) {
                        waitWhilePaused();
                    } else if (retriesDue()) {
                        flush();
                        redeliverDue();
                    } else {
                        boolean claim = claimDue();
                        flush(!claim && group != null && !resumingOwnPending);
                        if (claim) {
                            claim();
                        } else {
                            poll();
                        }
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
            // shows in XINFO CONSUMERS at once (a blocking XREADGROUP would only add it with the first entry)
            client.createConsumer(key, group, name);
            groupReady = true;
        }
        if (group == null && plainCursor == null) {
            plainCursor = "$".equals(config.getStartId()) ? client.lastId(key) : config.getStartId();
        }
    }

    private boolean claimDue() {
        return group != null && config.getClaimInterval() > 0 && !resumingOwnPending && now() >= nextClaimAt;
    }

    private boolean retriesDue() {
        return group != null && retries.nextDueAtMillis() <= now() && inFlight.availablePermits() > 0;
    }

    /** A route asked for a pause: hand out nothing, but keep writing the acks of exchanges that finish meanwhile. */
    private void waitWhilePaused() throws InterruptedException {
        flush();
        sleep(Math.max(1, Math.min(pause.remainingMillis(now()), SHORT_BLOCK_MS)));
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
        int want = Math.min(room, batchSize);
        if (group == null) {
            List<StreamEntry> entries = client.read(key, want, blockTime(), plainCursor);
            ready = true;
            for (int i = 0; i < entries.size(); i++) {
                plainCursor = entries.get(i).id();
                dispatch(entries.get(i), 1, i, entries.size());
            }
        } else if (resumingOwnPending) {
            scheduleOwnPending();
            ready = true;
        } else {
            List<StreamEntry> entries = readAhead != null ? readAheadStillOurs() : ackThenRead(want);
            ready = true;
            hold(entries);
            // a full batch while the route keeps up means a backlog: have Redis serve the next batch meanwhile
            List<String> aheadAcks = entries.size() == batchSize && room == capacity && running ? takeAcks() : null;
            RedisStreamsClient.ReadAhead next = aheadAcks != null ? startReadAhead(aheadAcks) : null;
            for (int i = 0; i < entries.size(); i++) {
                dispatch(entries.get(i), 1, i, entries.size());
            }
            if (next != null) {
                receiveReadAhead(next, aheadAcks);
            }
        }
    }

    /**
     * A consumer that starts (or lost a reply) first takes up what is pending for its name: each entry is scheduled by
     * its delivery count and idle time, so a retry schedule carries on where the previous run left it.
     */
    private void scheduleOwnPending() {
        List<RedisStreamsClient.PendingEntry> page = client.pendingOf(key, group, name, ownPendingCursor, OWN_PENDING_PAGE);
        if (page.isEmpty()) {
            resumingOwnPending = false;
            ownPendingCursor = null;
            return;
        }
        long now = now();
        for (RedisStreamsClient.PendingEntry pending : page) {
            ownPendingCursor = pending.id();
            if (!isHeld(pending.id())) {
                retries.add(new RetryQueue.Retry(pending.id(),
                        policy.dueAfterRestart(pending.deliveryCount(), pending.idleMillis(), now), pending.deliveryCount(), false));
            }
        }
    }

    /** In flight, done and waiting for its ack, or already waiting for a retry. */
    private boolean isHeld(String id) {
        return inFlightSince.containsKey(id) || acks.contains(id) || retries.contains(id);
    }

    /** Claims the entries whose retry is due (only those still pending for this consumer) and hands them out again. */
    private void redeliverDue() {
        List<RetryQueue.Retry> due = retries.takeDue(now(), inFlight.availablePermits());
        Map<String, Long> retryCounts = new LinkedHashMap<>();
        Map<String, RetryQueue.Retry> byId = new LinkedHashMap<>();
        for (RetryQueue.Retry retry : due) {
            retryCounts.put(retry.id(), retry.keepCount() ? retry.deliveryCount() : -1L);
            byId.put(retry.id(), retry);
        }
        RedisStreamsClient.RetryClaim claim;
        try {
            claim = client.claimForRetry(key, group, name, retryCounts);
        } catch (RuntimeException e) {
            due.forEach(retries::add); // still pending: tried again once Redis answers
            throw e;
        }
        for (String id : claim.deletedIds()) {
            LOG.warn("Pending entry {} of stream '{}' no longer exists (deleted or trimmed); acknowledged it", id, key);
        }
        if (claim.entries().size() + claim.deletedIds().size() < due.size()) {
            LOG.debug("Stream '{}' consumer '{}': {} entries due for a retry were taken over by another consumer", key, name,
                    due.size() - claim.entries().size() - claim.deletedIds().size());
        }
        List<StreamEntry> entries = claim.entries();
        List<Long> deliveries = entries.stream().map(entry -> {
            RetryQueue.Retry retry = byId.get(entry.id());
            return retry.keepCount() ? retry.deliveryCount() : retry.deliveryCount() + 1;
        }).toList();
        deliverOrDeadLetter(entries, deliveries);
        flush();
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
        readAheadSentAt = now();
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
        if (now() - readAheadSentAt < config.getMinIdleTime() / 2) {
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
        Long now = now();
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
        long now = now();
        if (group != null && config.getClaimInterval() > 0) {
            block = Math.min(block, Math.max(1, nextClaimAt - now));
        }
        long nextRetry = retries.nextDueAtMillis();
        if (nextRetry != Long.MAX_VALUE) {
            block = Math.min(block, Math.max(1, nextRetry - now));
        }
        return block;
    }

    /** One XAUTOCLAIM step: takes over entries idle longer than minIdleTime, from any consumer. */
    private void claim() {
        int room = inFlight.availablePermits();
        if (room == 0) {
            nextClaimAt = now() + SHORT_BLOCK_MS;
            return;
        }
        AutoClaimResult result = client.autoClaim(key, group, name, config.getMinIdleTime(), claimCursor, room);
        if (result.isSweepComplete()) {
            claimCursor = "0-0";
            nextClaimAt = now() + config.getClaimInterval();
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
        List<StreamEntry> entries = new ArrayList<>();
        List<Long> deliveries = new ArrayList<>();
        for (StreamEntry entry : result.entries()) {
            if (inFlightSince.containsKey(entry.id()) || acks.contains(entry.id())) {
                continue; // our own slow exchange: claiming it only refreshed its idle time
            }
            retries.remove(entry.id()); // one of ours that waited longer than minIdleTime: this claim is its retry
            entries.add(entry);
            deliveries.add(client.deliveryCount(key, group, entry.id()));
        }
        deliverOrDeadLetter(entries, deliveries);
        flush();
    }

    /**
     * Hands the entries out as one batch, except those whose earlier deliveries never completed (e.g. the process died
     * handling them) too often: those are dead-lettered.
     */
    private void deliverOrDeadLetter(List<StreamEntry> entries, List<Long> deliveries) {
        List<Integer> handOut = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            long count = deliveries.get(i);
            if (policy.isExhausted(count)) {
                deadLetters.add(DeadLetter.of(entries.get(i), key, group, count,
                        "delivered " + count + " times without completing (maxDeliveries=" + config.getMaxDeliveries() + ")"));
            } else {
                handOut.add(i);
            }
        }
        for (int i = 0; i < handOut.size(); i++) {
            dispatch(entries.get(handOut.get(i)), deliveries.get(handOut.get(i)), i, handOut.size());
        }
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

    /** Hands one entry of a read to the route; {@code index} of {@code size} become the exchange's batch properties. */
    private void dispatch(StreamEntry entry, long deliveryCount, int index, int size) {
        inFlight.acquireUninterruptibly();
        inFlightSince.putIfAbsent(entry.id(), now()); // a held entry keeps the time it was read
        if (workers == null) {
            process(entry, deliveryCount, index, size);
            return;
        }
        try {
            workers.execute(() -> process(entry, deliveryCount, index, size));
        } catch (RejectedExecutionException e) {
            // the pool is stopping (or its queue is full): tried again shortly
            putBack(entry, now() + SHORT_BLOCK_MS, deliveryCount);
        }
    }

    /** An entry handed out but not processed: it stays pending and waits until {@code dueAt}, using up no delivery. */
    private void putBack(StreamEntry entry, long dueAt, long deliveryCount) {
        retries.add(new RetryQueue.Retry(entry.id(), dueAt, deliveryCount, true));
        inFlightSince.remove(entry.id());
        inFlight.release();
    }

    private void process(StreamEntry entry, long deliveryCount, int index, int size) {
        if (group != null && pause.remainingMillis(now()) > 0) {
            putBack(entry, pause.untilMillis(), deliveryCount); // handed out just before a pause began
            return;
        }
        Exchange exchange = consumer.createExchange(false);
        exchange.setIn(new RedisStreamsMessage(exchange, key, entry, deliveryCount, group, name));
        // as Camel's batch consumers (file, aws2-sqs) do: the place of this exchange among those of one read
        exchange.setProperty(ExchangePropertyKey.BATCH_INDEX, index);
        exchange.setProperty(ExchangePropertyKey.BATCH_SIZE, size);
        exchange.setProperty(ExchangePropertyKey.BATCH_COMPLETE, index == size - 1);
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
            reportError("Could not dead-letter entry " + deadLetter.id() + " of stream '" + key + "' to '" + target
                        + "'; it stays pending", e);
        }
    }

    private void failed(Exception e) throws InterruptedException {
        String kind;
        String description;
        long wait = backoffMs;
        if (RedisErrors.hasCode(e, "NOGROUP")) {
            groupReady = false;
            resumingOwnPending = true;
            ownPendingCursor = null;
            retries.clear(); // pending in the lost group only
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
            // a read whose reply was lost still moved entries into our pending list: take it up again after reconnecting
            resumingOwnPending = group != null;
            ownPendingCursor = null;
            readAhead = null; // pending too: taken up again with the rest
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
                problemSince = now();
            }
            LOG.warn("Stream '{}' consumer '{}': {}. Retrying with backoff up to {} ms.", key, name, description,
                    Math.max(wait, MAX_BACKOFF_MS));
            LOG.debug("Cause", e);
            problemKind = kind;
            reportError("Stream '" + key + "' consumer '" + name + "': " + description, e);
        }
        lastError = e;
        problem = description;
        sleep(wait);
        backoffMs = Math.min(backoffMs * 2, MAX_BACKOFF_MS);
    }

    /**
     * Hands an error of the consumer itself (not of an exchange) to the consumer's ExceptionHandler: with
     * {@code bridgeErrorHandler=true} the route's error handler, or an {@code exceptionHandler} the user set. Camel's
     * default handler would only log again, with a stack trace, what this reader has just logged in one line.
     */
    private void reportError(String message, Exception e) {
        ExceptionHandler handler = consumer.getExceptionHandler();
        if (handler == null || handler instanceof LoggingExceptionHandler) {
            return;
        }
        try {
            handler.handleException(message, e);
        } catch (RuntimeException handlerFailure) {
            LOG.warn("Stream '{}' consumer '{}': the exception handler failed: {}", key, name, handlerFailure.toString());
        }
    }

    private void recovered() {
        if (problem != null) {
            LOG.info("Stream '{}' consumer '{}' is reading again after {} ms", key, name, now() - problemSince);
            problem = null;
            problemKind = null;
            lastError = null;
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
            long deadline = now() + consumer.getShutdownTimeoutMillis();
            while (inFlight.availablePermits() < capacity && now() < deadline) {
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

    /** Acks a successfully completed exchange's entry; the {@link DeliveryPolicy} decides the fate of a failed one. */
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
            long now = now();
            DeliveryPolicy.Outcome outcome = policy.onFailure(exchange.getException(), deliveryCount, now);
            statistics.failed(outcome.reason());
            if (outcome instanceof DeliveryPolicy.DeadLetterIt deadLetter) {
                deadLetters.add(DeadLetter.of(entry, key, group, deliveryCount, deadLetter.reason()));
            } else if (outcome instanceof DeliveryPolicy.RetryAt retry) {
                if (retry.pauseUntilMillis() > 0) {
                    pause.pauseUntil(retry.pauseUntilMillis(), retry.reason());
                }
                retries.add(new RetryQueue.Retry(entry.id(), retry.atMillis(), deliveryCount, retry.keepCount()));
                LOG.debug("Entry {} of stream '{}' failed (delivery {}); retrying it in {} ms: {}", entry.id(), key, deliveryCount,
                        retry.atMillis() - now, retry.reason());
            } else if (((DeliveryPolicy.LeavePending) outcome).permanent()) {
                LOG.warn("Entry {} of stream '{}' failed permanently but no deadLetterStream is set; it stays pending: {}",
                        entry.id(), key, outcome.reason());
            } else {
                LOG.debug("Entry {} of stream '{}' failed (delivery {}); it stays pending for the XAUTOCLAIM take-over: {}",
                        entry.id(), key, deliveryCount, outcome.reason());
            }
        }
    }
}
