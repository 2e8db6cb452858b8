package io.streamroutes.component.redisstreams.consumer;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

import io.streamroutes.component.redisstreams.RedisStreamsStatistics;
import io.streamroutes.component.redisstreams.client.AutoClaimResult;
import io.streamroutes.component.redisstreams.client.GroupConsumer;
import io.streamroutes.component.redisstreams.client.StreamCommands;
import io.streamroutes.component.redisstreams.client.StreamEntry;
import io.streamroutes.component.redisstreams.consumer.errorhandler.ClaimedEntries;
import io.streamroutes.component.redisstreams.consumer.support.Bookkeeping;
import io.streamroutes.component.redisstreams.consumer.support.InFlightTracker;
import io.streamroutes.component.redisstreams.consumer.support.OutcomeQueue;
import io.streamroutes.component.redisstreams.consumer.support.PerKeyAdmission;
import io.streamroutes.component.redisstreams.consumer.support.RetryQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The XAUTOCLAIM take-over: every {@code claimInterval}, sweeps the group's pending list in steps and takes over the
 * entries idle longer than {@code minIdleTime}, from any consumer (one that died, or one of our own retries that
 * waited that long). Entries deleted from the stream meanwhile are acked, since they cannot be processed.
 */
final class ClaimSweep {

    private static final Logger LOG = LoggerFactory.getLogger(ClaimSweep.class);
    /** How soon to try again when the in-flight window is full. */
    private static final long FULL_WINDOW_RETRY_MS = StreamReader.SHORT_BLOCK_MS;

    private final GroupConsumer consumer;
    private final String key;
    private final long minIdleTime;
    private final long claimInterval;
    private final InFlightTracker inFlight;
    private final OutcomeQueue acks;
    private final RetryQueue retries;
    private final PerKeyAdmission keys;
    private final RedisStreamsStatistics statistics;
    private final LongSupplier clock;
    private String cursor = "0-0";
    private long nextSweepAt;

    /** @param claimInterval 0: no take-over */
    ClaimSweep(GroupConsumer consumer, long minIdleTime, long claimInterval, Bookkeeping books, RedisStreamsStatistics statistics) {
        this.consumer = consumer;
        this.key = consumer.key();
        this.minIdleTime = minIdleTime;
        this.claimInterval = claimInterval;
        this.inFlight = books.inFlight();
        this.acks = books.acks();
        this.retries = books.retries();
        this.keys = books.keys();
        this.statistics = statistics;
        this.clock = books.clock();
        this.nextSweepAt = clock.getAsLong();
    }

    boolean isEnabled() {
        return claimInterval > 0;
    }

    boolean isDue() {
        return isEnabled() && clock.getAsLong() >= nextSweepAt;
    }

    /** When the next step is due (epoch ms). */
    long nextSweepAt() {
        return nextSweepAt;
    }

    /** One XAUTOCLAIM step; returns the entries taken over that are not already ours. */
    ClaimedEntries step(StreamCommands redis) {
        int room = inFlight.room();
        if (room == 0) {
            nextSweepAt = clock.getAsLong() + FULL_WINDOW_RETRY_MS;
            return ClaimedEntries.NONE;
        }
        AutoClaimResult result = redis.autoClaim(consumer, minIdleTime, cursor, room);
        if (result.isSweepComplete()) {
            cursor = "0-0";
            nextSweepAt = clock.getAsLong() + claimInterval;
        } else {
            cursor = result.nextCursor();
        }
        result.deletedIds().forEach(this::ackDeleted);
        if (result.unnamedDeletions()) {
            for (String id : redis.pendingIds(consumer, 1000)) {
                if (!redis.exists(key, id)) {
                    ackDeleted(id);
                }
            }
        }
        if (!result.entries().isEmpty()) {
            statistics.claimed(result.entries().size());
            LOG.debug("Claimed {} idle entries of stream '{}' for consumer '{}'", result.entries().size(), key, consumer.name());
        }
        List<StreamEntry> entries = new ArrayList<>();
        List<Long> deliveries = new ArrayList<>();
        for (StreamEntry entry : result.entries()) {
            if (inFlight.isHeld(entry.id()) || acks.isAckQueued(entry.id()) || keys.holds(entry.id())) {
                continue; // our own slow exchange, or one waiting for its key: claiming it only refreshed its idle time
            }
            retries.remove(entry.id()); // one of ours that waited longer than minIdleTime: this claim is its retry
            entries.add(entry);
            deliveries.add(redis.deliveryCount(consumer.streamGroup(), entry.id()));
        }
        return new ClaimedEntries(entries, deliveries);
    }

    /** A pending entry that was deleted or trimmed from the stream cannot be processed: drop it from the PEL. */
    private void ackDeleted(String id) {
        LOG.warn("Pending entry {} of stream '{}' no longer exists (deleted or trimmed); acknowledging it", id, key);
        acks.ack(id);
    }
}
