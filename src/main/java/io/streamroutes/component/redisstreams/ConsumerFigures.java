package io.streamroutes.component.redisstreams;

import java.util.List;

import io.streamroutes.component.redisstreams.client.DeadLetterStream;
import io.streamroutes.component.redisstreams.client.RedisErrors;
import io.streamroutes.component.redisstreams.client.RedisStreamsClient;
import io.streamroutes.component.redisstreams.client.StreamGroupInfo;

/**
 * What one consumer endpoint is doing, read at once for a page or a console: its own counters and health, and the
 * stream, group and dead-letter figures from Redis (one connection, a few commands). Redis figures are -1 when they do
 * not apply (no group, no dead-letter stream) or could not be read ({@code redisError} says why). The job-control
 * figures (entries waiting for a retry, the next one's due time, a pause) are the consumer's own; times are epoch ms,
 * 0 when none.
 */
public record ConsumerFigures(String routeId, String stream, String group, List<String> consumerNames, boolean healthy,
                              String problem, RedisStreamsStatistics statistics, long length, long lag, long pending,
                              long oldestPendingIdleMillis, int groupConsumers, String deadLetterStream, long deadLetterLength,
                              String redisError, int retryWaiting, long nextRetryAtMillis, long pausedUntilMillis, String pauseReason) {

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
        String redisError = null;
        try (RedisStreamsClient client = endpoint.newClient()) {
            StreamGroupInfo info = new StreamGroupInfo(client, endpoint.getStreamKey(), group);
            length = info.streamLength();
            if (group != null && length >= 0 && client.type(endpoint.getStreamKey()).equals("stream")) {
                lag = info.groupLag();
                if (lag >= 0) { // the group exists
                    pending = info.pendingCount();
                    oldest = info.oldestPendingIdleMillis();
                    consumers = info.consumerCount();
                }
            }
            if (deadLetters != null) {
                deadLetterLength = new DeadLetterStream(client, deadLetters).length();
            }
        } catch (RuntimeException e) {
            redisError = RedisErrors.describe(e);
        }
        return new ConsumerFigures(consumer.getRouteId(), endpoint.getStreamKey(), group, consumer.getConsumerNames(),
                consumer.isHealthy(), consumer.getProblem(), consumer.getStatistics(), length, lag, pending, oldest, consumers,
                deadLetters, deadLetterLength, redisError, consumer.getRetryWaiting(), consumer.getNextRetryAtMillis(),
                consumer.getPausedUntilMillis(), consumer.getPauseReason());
    }

    /** The current Redis problem, else the last processing error, else null. */
    public String lastError() {
        return problem != null ? problem : statistics.getLastError();
    }
}
