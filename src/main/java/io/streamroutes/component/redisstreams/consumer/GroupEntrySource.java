package io.streamroutes.component.redisstreams.consumer;

import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

import io.streamroutes.component.redisstreams.client.GroupConsumer;
import io.streamroutes.component.redisstreams.client.RedisStreamsClient;
import io.streamroutes.component.redisstreams.client.StreamCommands;
import io.streamroutes.component.redisstreams.client.StreamEntry;
import io.streamroutes.component.redisstreams.consumer.errorhandler.DeliveryPolicy;
import io.streamroutes.component.redisstreams.consumer.support.Bookkeeping;
import io.streamroutes.component.redisstreams.consumer.support.InFlightTracker;
import io.streamroutes.component.redisstreams.consumer.support.OutcomeQueue;
import io.streamroutes.component.redisstreams.consumer.support.PerKeyAdmission;
import io.streamroutes.component.redisstreams.consumer.support.ReadAhead;
import io.streamroutes.component.redisstreams.consumer.support.RetryQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a group consumer's entries come from: first its own pending list (left by an earlier run, or by a read whose
 * reply was lost), each entry scheduled again by its delivery count and idle time so a retry schedule carries on where
 * it was; then new entries, read with the queued acks in one round trip, or taken from the {@link ReadAhead}.
 */
final class GroupEntrySource {

    private static final Logger LOG = LoggerFactory.getLogger(GroupEntrySource.class);

    /** Rows of this consumer's pending list looked at per XPENDING while resuming it. */
    private static final int OWN_PENDING_PAGE = 100;

    private final GroupConsumer consumer;
    private final String key;
    private final String group;
    private final BatchFill batchFill;
    private final DeliveryPolicy policy;
    private final RetryQueue retries;
    private final InFlightTracker inFlight;
    private final OutcomeQueue acks;
    private final ReadAhead readAhead;
    private final LongSupplier clock;
    private boolean setUp;
    /** True until this consumer's pending list has been scheduled again. */
    private boolean resumingOwnPending = true;
    private String ownPendingCursor;
    /** Null without a per-key limit. */
    private final PerKeyGate keys;
    private final PerKeyAdmission admission;

    /** @param keys the per-key limit, null without one */
    GroupEntrySource(GroupConsumer consumer, BatchFill batchFill, DeliveryPolicy policy, Bookkeeping books, ReadAhead readAhead,
                     PerKeyGate keys) {
        this.keys = keys;
        this.admission = books.keys();
        this.consumer = consumer;
        this.key = consumer.key();
        this.group = consumer.group();
        this.batchFill = batchFill;
        this.policy = policy;
        this.retries = books.retries();
        this.inFlight = books.inFlight();
        this.acks = books.acks();
        this.readAhead = readAhead;
        this.clock = books.clock();
    }

    boolean isSetUp() {
        return setUp;
    }

    /** Creates the group (with {@code createGroup}) and this consumer, once, and again after the group was lost. */
    void setUp(StreamCommands redis, boolean createGroup, String startId) {
        if (setUp) {
            return;
        }
        if (createGroup && redis.createGroup(consumer.streamGroup(), startId)) {
            LOG.info("Created consumer group '{}' on stream '{}' at id {}", group, key, startId);
        }
        // shows in XINFO CONSUMERS at once (a blocking XREADGROUP would only add it with the first entry)
        redis.createConsumer(consumer);
        setUp = true;
    }

    boolean isResumingOwnPending() {
        return resumingOwnPending;
    }

    /** Schedules one page of this consumer's pending list in the retry queue; done when a page comes back empty. */
    void scheduleOwnPending(StreamCommands redis) {
        List<RedisStreamsClient.PendingEntry> page = redis.pendingOf(consumer, ownPendingCursor, OWN_PENDING_PAGE);
        if (page.isEmpty()) {
            resumingOwnPending = false;
            ownPendingCursor = null;
            return;
        }
        long now = clock.getAsLong();
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
        return inFlight.isHeld(id) || acks.isAckQueued(id) || retries.contains(id) || admission.holds(id);
    }

    /**
     * Reads new entries (those read ahead, or read now together with the queued acks) and hands them to the route.
     * A full batch while the route keeps up ({@code keepingUp}: none of this reader's entries runs) means a backlog: the
     * next batch is read ahead meanwhile,
     * and the read ahead may still run when this returns: the caller {@link ReadAhead#join joins} it before it uses
     * {@code redis} itself.
     * Entries of a read that returns once the consumer is {@code draining} are given back instead. Returns how many
     * entries were read.
     */
    int readAndDispatch(StreamCommands redis, int count, long blockMs, boolean keepingUp, BooleanSupplier draining,
                         EntryDispatcher dispatcher) {
        List<StreamEntry> entries;
        if (readAhead.awaitEntries(keepingUp)) {
            entries = readAhead.take(redis);
        } else {
            readAhead.join(); // it ended: the connection is free
            entries = batchFill.fill(acks.ackThenRead(redis, consumer, count, blockMs), count, draining,
                    (more, wait) -> acks.ackThenRead(redis, consumer, more, wait));
        }
        if (draining.getAsBoolean()) {
            if (!entries.isEmpty()) {
                readAhead.giveBack(redis, entries);
            }
            return entries.size();
        }
        int read = entries.size();
        if (keys != null) {
            entries = keys.admitRead(redis, entries); // the others wait for their key, still pending for this consumer
        }
        InFlightTracker.Held held = inFlight.hold(entries);
        if (keepingUp && entries.size() == batchFill.count()) {
            readAhead.start(redis); // goes on if it runs already
        }
        dispatcher.dispatchRead(held);
        if (readAhead.isRunning()) {
            acks.shareOwnAcks(); // they go with the next read ahead
        }
        return read;
    }

    /**
     * After a failed round: a read whose reply was lost still moved entries into our pending list, so it is taken up
     * again (the entries read ahead with it); when the group is gone, what was pending in it is no longer ours.
     */
    void failed(ReadFailure.Recovery recovery) {
        if (recovery == ReadFailure.Recovery.RECONNECT_AND_RESUME_PENDING || recovery == ReadFailure.Recovery.RECREATE_GROUP) {
            resumingOwnPending = true;
            ownPendingCursor = null;
            readAhead.discard();
        }
        if (recovery == ReadFailure.Recovery.RECREATE_GROUP) {
            setUp = false;
            retries.clear();
        }
    }
}
