package io.streamroutes.component.redisstreams.consumer;

import java.util.List;

import io.streamroutes.component.redisstreams.RedisStreamsConfiguration;
import io.streamroutes.component.redisstreams.client.ConcurrencyLeases;
import io.streamroutes.component.redisstreams.client.RedisErrors;
import io.streamroutes.component.redisstreams.client.RedisStreamsClient;
import io.streamroutes.component.redisstreams.client.StreamGroup;
import io.streamroutes.component.redisstreams.consumer.support.AckedEntriesTrim;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Periodic chores of a group consumer, on their own thread and connection because a reading thread may be busy
 * processing a slow entry: keep long-running entries from looking idle (so no other consumer's XAUTOCLAIM takes
 * them while they are still being processed), remove consumers that have gone away without pending entries, and trim
 * entries every group has finished ({@link AckedEntriesTrim}).
 */
public final class ConsumerMaintenance implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(ConsumerMaintenance.class);

    private final ReaderOwner consumer;
    private final List<StreamReader> readers;
    private final String key;
    private final String group;
    private final long keepAliveInterval;
    private final long consumerTimeout;
    /** The per-key lease time; 0 without a per-key limit. */
    private final long leaseMillis;
    private long nextHygieneAt;
    private final AckedEntriesTrim trimmer;
    private final long trimInterval;
    private long nextTrimAt;
    /** The kind of the last failure handed to the ExceptionHandler, until a round succeeds: one report per change. */
    private String failureKind;

    public ConsumerMaintenance(ReaderOwner consumer, List<StreamReader> readers) {
        this.consumer = consumer;
        this.readers = readers;
        RedisStreamsConfiguration config = consumer.getConfiguration();
        this.key = consumer.getStreamKey();
        this.group = config.getGroup();
        this.keepAliveInterval = config.effectiveKeepAliveInterval();
        this.consumerTimeout = config.getConsumerTimeout();
        this.leaseMillis = config.isLimitedPerKey() ? config.perKeyLeaseMillis() : 0;
        this.trimmer = config.getTrimAcknowledgedAfter() > 0
                ? new AckedEntriesTrim(key, config.getTrimAcknowledgedAfter(), System::currentTimeMillis) : null;
        this.trimInterval = AckedEntriesTrim.interval(config.getTrimAcknowledgedAfter());
    }

    /** How often to run: often enough for both chores that are on, or 0 when none is. */
    public static long period(RedisStreamsConfiguration config) {
        if (config.getGroup() == null) {
            return 0;
        }
        long keepAlive = config.effectiveKeepAliveInterval();
        long hygiene = config.getConsumerTimeout() > 0 ? Math.max(1000, config.getConsumerTimeout() / 2) : 0;
        long trim = config.getTrimAcknowledgedAfter() > 0 ? AckedEntriesTrim.interval(config.getTrimAcknowledgedAfter()) : 0;
        // three refreshes per lease time: one missed refresh does not let a lease in use expire
        long leases = config.isLimitedPerKey() ? Math.max(1, config.perKeyLeaseMillis() / 3) : 0;
        long period = 0;
        for (long chore : new long[] { keepAlive, hygiene, trim, leases }) {
            if (chore > 0) {
                period = period == 0 ? chore : Math.min(period, chore);
            }
        }
        return period;
    }

    @Override
    public void run() {
        // named after what failed, for the report; the keep-alive first, as it also needs the connection first
        String chore = keepAliveInterval > 0 ? "Keep-alive of long-running entries" : "Maintenance";
        try (RedisStreamsClient client = consumer.newClient()) {
            if (keepAliveInterval > 0) {
                keepAlive(client);
            }
            if (leaseMillis > 0) {
                chore = "Refresh of concurrency leases";
                refreshKeyLeases(client);
            }
            if (consumerTimeout > 0 && System.currentTimeMillis() >= nextHygieneAt) {
                chore = "Removal of idle consumers";
                removeIdleConsumers(client);
                nextHygieneAt = System.currentTimeMillis() + Math.max(1000, consumerTimeout / 2);
            }
            if (trimmer != null && System.currentTimeMillis() >= nextTrimAt) {
                chore = "Trim of acknowledged entries";
                trimmer.trim(client);
                nextTrimAt = System.currentTimeMillis() + trimInterval;
            }
            failureKind = null;
        } catch (RuntimeException e) {
            // the readers log Redis outages; a missed round is caught up on the next one
            LOG.debug("Maintenance of stream '{}' group '{}' skipped: {}", key, group, RedisErrors.describe(e));
            String kind = chore + ':' + RedisErrors.kind(e);
            if (!kind.equals(failureKind)) {
                // a reader busy with a slow exchange sees no outage, so the handler hears of a failing keep-alive here
                failureKind = kind;
                consumer.reportError(chore + " of stream '" + key + "' group '" + group + "' failed: " + RedisErrors.describe(e), e);
            }
        }
    }

    /** Extends the per-key leases of running entries, so that only a process that stopped refreshing loses them. */
    private void refreshKeyLeases(RedisStreamsClient client) {
        for (StreamReader reader : readers) {
            List<String> leases = reader.keyLeases();
            long expired = ConcurrencyLeases.refresh(client, new StreamGroup(key, group), leaseMillis, leases);
            if (expired > 0) {
                LOG.warn("Stream '{}' consumer '{}': {} concurrency leases had expired while their entries ran (no refresh for "
                         + "{} ms); counted again", key, reader.getName(), expired, leaseMillis);
            }
        }
    }

    private void keepAlive(RedisStreamsClient client) {
        for (StreamReader reader : readers) {
            // every entry still held, not only those held a whole interval: those would reach up to twice the interval
            // (minIdleTime by default) of idle time before their first refresh, and be taken over just then
            List<String> held = reader.heldIds();
            if (!held.isEmpty()) {
                long refreshed = client.keepAlive(new StreamGroup(key, group).consumer(reader.getName()), held);
                LOG.debug("Refreshed {} of {} running entries of stream '{}' for consumer '{}'", refreshed, held.size(), key,
                        reader.getName());
            }
        }
    }

    private void removeIdleConsumers(RedisStreamsClient client) {
        List<String> removed = client.removeIdleConsumers(new StreamGroup(key, group), consumerTimeout, consumer.getConsumerNames());
        if (!removed.isEmpty()) {
            LOG.info("Removed consumers {} of group '{}' on stream '{}': idle over {} ms with no pending entries", removed, group,
                    key, consumerTimeout);
        }
    }
}
