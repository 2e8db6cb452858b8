package io.streamroutes.component.redisstreams.consumer;

import java.time.Clock;
import java.util.List;

import io.streamroutes.component.redisstreams.RedisStreamsConfiguration;
import io.streamroutes.component.redisstreams.RedisStreamsStatistics;
import io.streamroutes.component.redisstreams.client.RedisStreamsClient;
import io.streamroutes.component.redisstreams.consumer.errorhandler.ConsumerPause;

/** What the readers and the maintenance need of the consumer that runs them. */
public interface ReaderOwner extends EntryExchanges {

    boolean isRunAllowed();

    RedisStreamsConfiguration getConfiguration();

    String getStreamKey();

    /** A client with its own connection, closed by the caller. */
    RedisStreamsClient newClient();

    Clock getClock();

    ConsumerPause getPause();

    RedisStreamsStatistics getStatistics();

    long getShutdownTimeoutMillis();

    /** Hands an error of the consumer itself (not of an exchange) to its ExceptionHandler. */
    void reportError(String message, Exception e);

    /** Names of the consumers the readers read as. */
    List<String> getConsumerNames();
}
