package io.streamroutes.component.redisstreams.consumer.errorhandler;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.streamroutes.component.redisstreams.client.GroupConsumer;
import io.streamroutes.component.redisstreams.client.RedisStreamsClient;
import io.streamroutes.component.redisstreams.client.StreamCommands;
import io.streamroutes.component.redisstreams.consumer.support.RetryQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers again the entries waiting in the {@link RetryQueue} once they are due: claims those still pending for this
 * consumer in one script (RETRY_CLAIM_SCRIPT: entries another consumer took over meanwhile are left to it, deleted
 * ones are acked), with the delivery count each retry carries.
 */
public final class DueRetryClaim {

    private static final Logger LOG = LoggerFactory.getLogger(DueRetryClaim.class);

    private final GroupConsumer consumer;
    private final String key;
    private final RetryQueue retries;

    public DueRetryClaim(GroupConsumer consumer, RetryQueue retries) {
        this.consumer = consumer;
        this.key = consumer.key();
        this.retries = retries;
    }

    /** True when an entry is due at {@code nowMillis} and there is room to hand it out. */
    public boolean isDue(long nowMillis, int room) {
        return room > 0 && retries.nextDueAtMillis() <= nowMillis;
    }

    /** Claims up to {@code room} entries due at {@code nowMillis}; on a failure they wait again. */
    public ClaimedEntries claimDue(StreamCommands redis, long nowMillis, int room) {
        List<RetryQueue.Retry> due = retries.takeDue(nowMillis, room);
        Map<String, Long> retryCounts = new LinkedHashMap<>();
        Map<String, RetryQueue.Retry> byId = new LinkedHashMap<>();
        for (RetryQueue.Retry retry : due) {
            retryCounts.put(retry.id(), retry.keepCount() ? retry.deliveryCount() : -1L);
            byId.put(retry.id(), retry);
        }
        RedisStreamsClient.RetryClaim claim;
        try {
            claim = redis.claimForRetry(consumer, retryCounts);
        } catch (RuntimeException e) {
            due.forEach(retries::add); // still pending: tried again once Redis answers
            throw e;
        }
        for (String id : claim.deletedIds()) {
            LOG.warn("Pending entry {} of stream '{}' no longer exists (deleted or trimmed); acknowledged it", id, key);
        }
        int claimedOrDeleted = claim.entries().size() + claim.deletedIds().size();
        if (claimedOrDeleted < due.size()) {
            LOG.debug("Stream '{}' consumer '{}': {} entries due for a retry were taken over by another consumer", key, consumer.name(),
                    due.size() - claimedOrDeleted);
        }
        List<Long> deliveries = claim.entries().stream().map(entry -> {
            RetryQueue.Retry retry = byId.get(entry.id());
            return retry.keepCount() ? retry.deliveryCount() : retry.deliveryCount() + 1;
        }).toList();
        return new ClaimedEntries(claim.entries(), deliveries);
    }
}
