package io.streamroutes.component.redisstreams.consumer;

import io.streamroutes.component.redisstreams.RedisStreamsEndpoint;
import io.streamroutes.component.redisstreams.client.RedisErrors;
import io.streamroutes.component.redisstreams.client.RedisStreamsClient;
import io.streamroutes.component.redisstreams.client.ScheduledEntries;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Adds the due scheduled entries of a consumer's stream to the stream ({@link ScheduledEntries#MOVE}), every
 * {@link #PERIOD_MS} on its own thread, so an entry reaches the consumers well within a second of its time. Every
 * consumer of the stream runs one: the move is atomic, so each entry is added once whoever moves it.
 */
public final class ScheduledEntriesMover implements Runnable {

    public static final long PERIOD_MS = 250;

    /** Steps per run when a backlog of due entries is moved (a run then moves up to this x MOVE_BATCH entries). */
    private static final int MAX_STEPS = 20;

    private static final Logger LOG = LoggerFactory.getLogger(ScheduledEntriesMover.class);

    private final RedisStreamsEndpoint endpoint;

    public ScheduledEntriesMover(RedisStreamsEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    @Override
    public void run() {
        try (RedisStreamsClient client = endpoint.newClient()) {
            for (int step = 0; step < MAX_STEPS; step++) {
                if (ScheduledEntries.moveDue(client, endpoint.getStreamKey(), endpoint.getConfiguration().getMaxLen()) < ScheduledEntries.MOVE_BATCH) {
                    return;
                }
            }
        } catch (RuntimeException e) {
            // the readers report Redis outages; the next run catches up
            LOG.debug("Moving due scheduled entries of stream '{}' skipped: {}", endpoint.getStreamKey(), RedisErrors.describe(e));
        }
    }
}
