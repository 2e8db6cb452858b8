package io.streamroutes.component.redisstreams;

import java.util.List;

import io.streamroutes.component.redisstreams.client.DeadLetterStream;
import io.streamroutes.component.redisstreams.client.PendingSummary;
import io.streamroutes.component.redisstreams.client.RedisErrors;
import io.streamroutes.component.redisstreams.client.RedisStreamsClient;
import io.streamroutes.component.redisstreams.client.ScheduledEntries;
import io.streamroutes.component.redisstreams.client.StreamGroup;
import io.streamroutes.component.redisstreams.client.StreamGroupInfo;

/**
 * What one consumer endpoint is doing, read at once for a page or a console: its own counters and health, and the
 * stream, group and dead-letter figures from Redis (one connection, a few commands). Redis figures are -1 when they do
 * not apply (no group, no dead-letter stream) or could not be read ({@code redisError} says why). The job-control
 * figures (entries waiting for a retry, the next one's due time, a pause) are the consumer's own; the stream's
 * scheduled entries are read from Redis (count -1: not read); times are epoch ms, 0 when none.
 */
public record ConsumerFigures(Reading reading, RedisStreamsStatistics statistics, GroupFigures groupFigures,
                              DeadLetterFigures deadLetters, JobControl jobControl, ScheduledEntries.Figures scheduled) {

    /** Which consumer: its route, stream, group and consumer names, and its health. */
    public record Reading(String routeId, String stream, String group, List<String> consumerNames, boolean healthy, String problem) {
    }

    /** The stream and group as Redis reports them; -1 when they do not apply or could not be read. */
    public record GroupFigures(long length, long lag, long pending, long oldestPendingAgeMillis, int groupConsumers,
                               String redisError) {
    }

    /** The dead-letter stream (null: none) and its length (-1: none, or not read). */
    public record DeadLetterFigures(String stream, long length) {
    }

    /**
     * Entries waiting for a retry, the next one's due time, and a pause (epoch ms, 0 when none); entries waiting for a
     * slot of their {@code concurrencyKey} (-1 without {@code maxConcurrencyPerKey}).
     */
    public record JobControl(int retryWaiting, long nextRetryAtMillis, long pausedUntilMillis, String pauseReason, int keyWaiting) {
    }

    public static ConsumerFigures of(RedisStreamsConsumer consumer) {
        RedisStreamsEndpoint endpoint = consumer.getEndpoint();
        RedisStreamsConfiguration config = endpoint.getConfiguration();
        String group = config.getGroup();
        String deadLetters = config.getDeadLetterStream();
        long length = -1;
        long lag = -1;
        long pending = -1;
        long oldest = -1;
        int consumers = -1;
        long deadLetterLength = -1;
        ScheduledEntries.Figures scheduled = new ScheduledEntries.Figures(-1, 0);
        String redisError = null;
        try (RedisStreamsClient client = endpoint.newClient()) {
            StreamGroupInfo info = new StreamGroupInfo(client, new StreamGroup(endpoint.getStreamKey(), group));
            length = info.streamLength();
            if (group != null && length >= 0 && client.type(endpoint.getStreamKey()).equals("stream")) {
                lag = info.groupLag();
                if (lag >= 0) { // the group exists
                    PendingSummary summary = info.pendingSummary();
                    pending = summary.count();
                    oldest = summary.oldestAgeMillis(consumer.getClock().millis());
                    consumers = info.consumerCount();
                }
            }
            if (deadLetters != null) {
                deadLetterLength = new DeadLetterStream(client, deadLetters).length();
            }
            scheduled = ScheduledEntries.figures(client, endpoint.getStreamKey());
        } catch (RuntimeException e) {
            redisError = RedisErrors.describe(e);
        }
        return new ConsumerFigures(
                new Reading(consumer.getRouteId(), endpoint.getStreamKey(), group, consumer.getConsumerNames(), consumer.isHealthy(),
                        consumer.getProblem()),
                consumer.getStatistics(),
                new GroupFigures(length, lag, pending, oldest, consumers, redisError),
                new DeadLetterFigures(deadLetters, deadLetterLength),
                new JobControl(consumer.getRetryWaiting(), consumer.getNextRetryAtMillis(), consumer.getPausedUntilMillis(),
                        consumer.getPauseReason(), config.isLimitedPerKey() ? consumer.getKeyWaiting() : -1),
                scheduled);
    }

    public String routeId() {
        return reading.routeId();
    }

    public String stream() {
        return reading.stream();
    }

    public String group() {
        return reading.group();
    }

    public List<String> consumerNames() {
        return reading.consumerNames();
    }

    public boolean healthy() {
        return reading.healthy();
    }

    public String problem() {
        return reading.problem();
    }

    public long length() {
        return groupFigures.length();
    }

    public long lag() {
        return groupFigures.lag();
    }

    public long pending() {
        return groupFigures.pending();
    }

    /** How long ago the oldest pending entry was added to the stream (ms), 0 when none is pending, -1 when not read. */
    public long oldestPendingAgeMillis() {
        return groupFigures.oldestPendingAgeMillis();
    }

    public int groupConsumers() {
        return groupFigures.groupConsumers();
    }

    public String redisError() {
        return groupFigures.redisError();
    }

    public int retryWaiting() {
        return jobControl.retryWaiting();
    }

    /** Entries waiting for a slot of their {@code concurrencyKey}; -1 without {@code maxConcurrencyPerKey}. */
    public int keyWaiting() {
        return jobControl.keyWaiting();
    }

    public long nextRetryAtMillis() {
        return jobControl.nextRetryAtMillis();
    }

    public long pausedUntilMillis() {
        return jobControl.pausedUntilMillis();
    }

    public String pauseReason() {
        return jobControl.pauseReason();
    }

    /** Entries scheduled for later delivery to the stream, -1 when not read. */
    public long scheduledCount() {
        return scheduled.count();
    }

    /** When the next scheduled entry is due (epoch ms), 0 when none is. */
    public long nextScheduledAtMillis() {
        return scheduled.nextDueAtMillis();
    }

    public String deadLetterStream() {
        return deadLetters.stream();
    }

    public long deadLetterLength() {
        return deadLetters.length();
    }

    /** The current Redis problem, else the last processing error, else null. */
    public String lastError() {
        return problem() != null ? problem() : statistics.getLastError();
    }
}
