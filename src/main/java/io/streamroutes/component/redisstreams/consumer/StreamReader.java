package io.streamroutes.component.redisstreams.consumer;

import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;

import io.streamroutes.component.redisstreams.RedisStreamsConfiguration;
import io.streamroutes.component.redisstreams.RedisStreamsStatistics;
import io.streamroutes.component.redisstreams.client.DeadLetterTarget;
import io.streamroutes.component.redisstreams.client.GroupConsumer;
import io.streamroutes.component.redisstreams.client.RedisErrors;
import io.streamroutes.component.redisstreams.client.RedisStreamsClient;
import io.streamroutes.component.redisstreams.client.ReplicaWait;
import io.streamroutes.component.redisstreams.client.StreamEntry;
import io.streamroutes.component.redisstreams.client.StreamGroup;
import io.streamroutes.component.redisstreams.consumer.errorhandler.BackoffDelays;
import io.streamroutes.component.redisstreams.consumer.errorhandler.ClaimedEntries;
import io.streamroutes.component.redisstreams.consumer.errorhandler.ConsumerPause;
import io.streamroutes.component.redisstreams.consumer.errorhandler.DeliveryPolicy;
import io.streamroutes.component.redisstreams.consumer.errorhandler.DueRetryClaim;
import io.streamroutes.component.redisstreams.consumer.errorhandler.FailedDelivery;
import io.streamroutes.component.redisstreams.consumer.support.Bookkeeping;
import io.streamroutes.component.redisstreams.consumer.support.InFlightTracker;
import io.streamroutes.component.redisstreams.consumer.support.OutcomeQueue;
import io.streamroutes.component.redisstreams.consumer.support.PerKeyAdmission;
import io.streamroutes.component.redisstreams.consumer.support.ReadAhead;
import io.streamroutes.component.redisstreams.consumer.support.RetryQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reading loop of one reading thread of a consumer endpoint, with its own consumer name and Redis connection:
 * each round writes what finished ({@link OutcomeQueue}), then either waits out a pause, redelivers due retries
 * ({@link DueRetryClaim}), takes over idle entries ({@link ClaimSweep}), or reads ({@link GroupEntrySource} with its
 * {@link ReadAhead}, or {@link PlainEntrySource}) and hands the entries to the route ({@link EntryDispatcher}). A failed
 * round backs off and is reported once per kind of problem ({@link ReaderHealth}).
 */
public final class StreamReader implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(StreamReader.class);

    static final long INITIAL_BACKOFF_MS = 100;
    static final long MAX_BACKOFF_MS = 5000;
    /** Read wait while completions are outstanding, so their acks are not held back by a long BLOCK. */
    static final long SHORT_BLOCK_MS = 50;

    private final ReaderOwner consumer;
    private final RedisStreamsConfiguration config;
    private final String key;
    private final String group;
    private final String name;
    private final LongSupplier clock;
    private final ConsumerPause pause;
    private final RetryQueue retries = new RetryQueue();
    private final InFlightTracker inFlight;
    private final OutcomeQueue acks;
    private final ReaderHealth health;
    private final EntryDispatcher dispatcher;
    private final DueRetryClaim redelivery;
    private final ClaimSweep sweep;
    private final ReadAhead readAhead;
    private final BlockedReadRelease blockedRead;
    /** Null without a group. */
    private final GroupEntrySource groupSource;
    /** Null with a group. */
    private final PlainEntrySource plainSource;
    private final ReaderRunState state = new ReaderRunState();
    private final BatchFill batchFill;
    /** Null without a per-key limit. */
    private final PerKeyGate keys;
    private final PerKeyAdmission admission;

    private RedisStreamsClient client;
    private long backoffMs = INITIAL_BACKOFF_MS;

    /** @param readAheadIo the I/O thread for reading ahead; null: no reading ahead */
    public StreamReader(ReaderOwner consumer, String name, Executor workers, ExecutorService readAheadIo) {
        this.consumer = consumer;
        this.config = consumer.getConfiguration();
        this.key = consumer.getStreamKey();
        this.group = config.getGroup();
        this.name = name;
        this.clock = consumer.getClock()::millis;
        this.pause = consumer.getPause();
        RedisStreamsStatistics statistics = consumer.getStatistics();
        DeliveryPolicy policy = deliveryPolicy(config);
        GroupConsumer self = new StreamGroup(key, group).consumer(name);
        // batching: concurrency batches of up to count entries each
        this.inFlight = new InFlightTracker(config.isBatching() ? config.getCount() * config.getConcurrency()
                : Math.max(config.getCount(), config.getConcurrency()), clock);
        this.batchFill = BatchFill.of(config, clock);
        String label = "Stream '" + key + "' consumer '" + name + "'";
        ConsumerErrorReporter reporter = new ConsumerErrorReporter(consumer::getExceptionHandler, label);
        this.acks = new OutcomeQueue(self.streamGroup(), deadLetterTarget(config), statistics, reporter, inFlight.capacity());
        this.admission = config.isLimitedPerKey() ? PerKeyAdmission.of(name, PerKeyGate.MAX_WAITING, clock) : PerKeyAdmission.off();
        Bookkeeping books = new Bookkeeping(inFlight, retries, acks, clock, admission);
        this.keys = config.isLimitedPerKey()
                ? new PerKeyGate(self, consumer, admission, config.getMaxConcurrencyPerKey(), config.perKeyLeaseMillis(), clock) : null;
        this.health = new ReaderHealth(label, clock, reporter);
        this.blockedRead = new BlockedReadRelease(label);
        FailedDelivery failures = new FailedDelivery(self.streamGroup(), policy, books, pause, statistics);
        this.dispatcher = new EntryDispatcher(self, consumer, workers, books, failures, pause);
        this.redelivery = new DueRetryClaim(self, retries);
        this.sweep = new ClaimSweep(self, config.getMinIdleTime(), config.getClaimInterval(), books, statistics);
        this.readAhead = new ReadAhead(readAheadIo, self, config.getMinIdleTime(),
                config.isBatching() ? config.getCount() : inFlight.capacity(), acks, clock);
        this.groupSource = group != null
                ? new GroupEntrySource(self, batchFill, policy, books, readAhead, keys) : null;
        this.plainSource = group == null ? new PlainEntrySource(key, config.getStartId()) : null;
    }

    /** The delivery policy the options set: maxDeliveries, the dead-letter stream, the retry schedule. */
    public static DeliveryPolicy deliveryPolicy(RedisStreamsConfiguration config) {
        BackoffDelays schedule = new BackoffDelays(config.getRedeliveryDelay(), config.getBackOffMultiplier(),
                config.getMaximumRedeliveryDelay(), RandomGenerator.getDefault());
        return new DeliveryPolicy(config.getMaxDeliveries(), config.getDeadLetterStream() != null, schedule);
    }

    /** Where failed entries go; null without a dead-letter stream. */
    public static DeadLetterTarget deadLetterTarget(RedisStreamsConfiguration config) {
        return config.getDeadLetterStream() == null ? null
                : new DeadLetterTarget(config.getDeadLetterStream(), config.getDeadLetterMaxLen(), replicaWait(config));
    }

    /** The replicas that must confirm a write (waitReplicas, waitTimeout). */
    private static ReplicaWait replicaWait(RedisStreamsConfiguration config) {
        return new ReplicaWait(config.getWaitReplicas(), config.getWaitTimeout());
    }

    /** Entries waiting for their next delivery. */
    public RetryQueue retries() {
        return retries;
    }

    public String getName() {
        return name;
    }

    public ReaderHealth health() {
        return health;
    }

    /** Ids of this reader's held entries: running, waiting their turn in the batch, or waiting for their key. */
    List<String> heldIds() {
        List<String> held = inFlight.heldLongerThan(0);
        if (keys == null) {
            return held;
        }
        List<String> all = new java.util.ArrayList<>(held);
        all.addAll(admission.waitingIds());
        return all;
    }

    /** The per-key leases this reader uses (refreshed by the maintenance so they do not expire while in use). */
    List<String> keyLeases() {
        return admission.leases();
    }

    /** Entries waiting for a slot of their concurrencyKey. */
    public int keyWaiting() {
        return admission.waiting();
    }

    /** What a graceful shutdown still waits for: entries held, and outcomes not yet written to Redis. */
    public int pendingWork() {
        // while Redis fails, waiting for writes that cannot happen would only hold the shutdown until its timeout
        return inFlight.held() + (health.hasProblem() ? 0 : acks.queued());
    }

    /** Stop or drain (Camel's shutdown began: hand out nothing new, finish what is held) this reader. */
    public ReaderRunState state() {
        return state;
    }

    @Override
    public void run() {
        acks.ownedByCurrentThread();
        try {
            while (state.isRunning() && consumer.isRunAllowed()) {
                try {
                    connect();
                    round();
                    health.recovered();
                    backoffMs = INITIAL_BACKOFF_MS;
                } catch (Exception e) {
                    if (!state.isRunning()) {
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

    /**
     * The connection, for a command of the reading thread's own: the {@link ReadAhead} is joined first (it may still
     * run after a read was dispatched), so one thread uses the connection at a time.
     */
    private RedisStreamsClient redis() {
        readAhead.join();
        return client;
    }

    private void openClient() {
        if (client == null) {
            client = consumer.newClient();
            blockedRead.connected(client);
        }
    }

    /** Called by the stopping thread after {@link ReaderRunState#stop()}: ends a blocking read this reader may wait in. */
    public void endBlockingRead() {
        blockedRead.release(consumer::newClient);
    }

    private void connect() {
        openClient();
        if (groupSource != null) {
            if (!groupSource.isSetUp()) { // asked every round: the read ahead may still run
                groupSource.setUp(redis(), config.isCreateGroup(), config.getStartId());
            }
        } else {
            plainSource.start(client);
        }
    }

    private void round() throws InterruptedException {
        if (keys != null) {
            keys.writeReleases(redis());
        }
        if (state.isDraining()) {
            if (group != null) {
                acks.write(redis(), false);
            }
            state.sleep(SHORT_BLOCK_MS);
        } else if (group == null) {
            poll();
        } else if (pause.remainingMillis(clock.getAsLong()) > 0) {
            // a route asked for a pause: hand out nothing, but keep writing the acks of exchanges that finish meanwhile
            acks.write(redis(), false);
            state.sleep(Math.max(1, Math.min(pause.remainingMillis(clock.getAsLong()), SHORT_BLOCK_MS)));
        } else if (keys != null && keys.hasReady() && inFlight.room() > 0) {
            // a finished entry handed its key's lease over, or a recheck won one: claim the waiting entries and start them
            acks.write(redis(), false);
            dispatcher.deliverOrDeadLetter(keys.claimReady(redis(), inFlight.room()));
        } else if (keys != null && keys.isRecheckDue() && inFlight.room() > 0) {
            keys.recheck(redis());
        } else if (redelivery.isDue(clock.getAsLong(), inFlight.room())) {
            acks.write(redis(), false);
            dispatcher.deliverOrDeadLetter(admitted(redelivery.claimDue(redis(), clock.getAsLong(), inFlight.room())));
            acks.write(redis(), false);
        } else if (!groupSource.isResumingOwnPending() && sweep.isDue()) {
            acks.write(redis(), false);
            dispatcher.deliverOrDeadLetter(admitted(sweep.step(redis())));
            acks.write(redis(), false);
        } else {
            boolean acksRideOnNextRead = !groupSource.isResumingOwnPending();
            if (!acksRideOnNextRead || acks.hasDeadLetters()) {
                acks.write(redis(), acksRideOnNextRead);
            }
            poll();
        }
    }

    /** Entries claimed again that may start now; with a per-key limit the others wait for their key. */
    private ClaimedEntries admitted(ClaimedEntries claimed) {
        return keys == null ? claimed : keys.admit(redis(), claimed);
    }

    private void poll() throws InterruptedException {
        if (keys != null && keys.isFull()) {
            state.sleep(SHORT_BLOCK_MS); // as many entries wait for their keys as may: read nothing new until some start
            return;
        }
        int room = inFlight.room();
        if (room == 0) {
            inFlight.awaitRoom(SHORT_BLOCK_MS); // bounded in-flight: a slow route slows reading instead of buffering
            return;
        }
        int want = Math.min(room, config.getCount());
        if (group == null) {
            List<StreamEntry> entries = batchFill.fill(plainSource.next(client, want, blockTime()), want, state::isDraining,
                    (more, wait) -> plainSource.next(client, more, wait));
            health.readSucceeded();
            if (!state.isDraining()) { // without a group nothing is kept for a next run: a read returning while stopping is dropped
                dispatcher.dispatchRead(inFlight.hold(entries));
            }
        } else if (groupSource.isResumingOwnPending()) {
            groupSource.scheduleOwnPending(redis());
            health.readSucceeded();
        } else {
            // entries wait behind a lease of ours: a finishing exchange hands it over, so wait for that here, not in Redis
            boolean handOverSoon = keys != null && keys.waitsForOwnLease();
            // no read-ahead with a per-key limit: admitting a read needs the connection the read ahead would use meanwhile
            int read = groupSource.readAndDispatch(client, want, handOverSoon ? 0 : blockTime(),
                    keys == null && room == inFlight.capacity() && state.isRunning() && !state.isDraining(),
                    state::isDraining, dispatcher);
            health.readSucceeded();
            if (handOverSoon && read == 0) {
                admission.awaitHandover(blockTime());
            }
        }
    }

    private long blockTime() {
        return ReadBlock.millis(config.getBlock(), !inFlight.isIdle() || acks.queued() > 0 || (keys != null && keys.hasReleases()),
                group != null && sweep.isEnabled() ? sweep.nextSweepAt() : Long.MAX_VALUE,
                keys == null ? retries.nextDueAtMillis() : Math.min(retries.nextDueAtMillis(), keys.nextRecheckAt()), clock.getAsLong());
    }

    private void failed(Exception e) throws InterruptedException {
        readAhead.halt(); // the connection may be closed below
        ReadFailure failure = ReadFailure.of(e, config, key);
        switch (failure.recovery()) {
            case RECONNECT, RECONNECT_AND_RESUME_PENDING -> closeClient();
            default -> { } // the group is set up again by the next round
        }
        if (groupSource != null) {
            groupSource.failed(failure.recovery());
            if (keys != null && failure.recovery() == ReadFailure.Recovery.RECREATE_GROUP) {
                admission.clearWaiting(); // what was pending in the lost group is no longer ours
            }
        }
        long wait = Math.max(backoffMs, failure.minWaitMs());
        health.failed(failure.kind(), failure.description(), e, Math.max(wait, MAX_BACKOFF_MS));
        state.sleep(wait);
        backoffMs = Math.min(backoffMs * 2, MAX_BACKOFF_MS);
    }

    /**
     * On stop: write what finished and give back what was read ahead; unfinished entries stay pending. Drained by
     * Camel's shutdown strategy, the reader has already waited for its exchanges as long as the strategy allowed;
     * stopped without it, it waits for them here, bounded.
     */
    private void finishInFlightAndFlush() {
        try {
            readAhead.halt();
            if (!state.isDraining()) {
                inFlight.awaitAllFinished(clock.getAsLong() + consumer.getShutdownTimeoutMillis(), SHORT_BLOCK_MS);
            }
            if (acks.queued() > 0 || readAhead.hasEntries()) {
                openClient();
                acks.write(client, false);
                readAhead.giveBack(client);
            }
            if (keys != null) {
                openClient();
                keys.stop(client);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.warn("Stream '{}' consumer '{}' interrupted while stopping; {} acks not written, their entries stay pending",
                    key, name, acks.queuedAcks());
        } catch (RuntimeException e) {
            LOG.warn("Stream '{}' consumer '{}' could not write {} acks or release the entries read ahead on stop ({}); "
                     + "they stay pending and are redelivered", key, name, acks.queuedAcks(), RedisErrors.describe(e));
        } finally {
            closeClient();
        }
    }

    private void closeClient() {
        blockedRead.disconnected();
        if (client != null) {
            client.close();
            client = null;
        }
    }
}
