package io.streamroutes.component.redisstreams.consumer;

import java.util.List;
import java.util.Map;

import io.streamroutes.component.redisstreams.client.GroupConsumer;
import io.streamroutes.component.redisstreams.client.StreamEntry;
import org.apache.camel.AsyncProcessor;
import org.apache.camel.Exchange;
import org.apache.camel.spi.ExceptionHandler;

/** Where the reader hands entries: exchanges made for them, the route that processes them, and its ExceptionHandler. */
public interface EntryExchanges {

    /** An exchange carrying one delivery of {@code entry} to {@code reader}, its fields decoded into {@code body}. */
    Exchange createExchange(GroupConsumer reader, StreamEntry entry, Map<String, String> body, long deliveryCount);

    /** {@code batching=true}: the entries of one read go to the route as one exchange ({@link #createBatchExchange}). */
    boolean isBatching();

    /** The exchange of one batch for {@code reader}: its body the entries' exchanges, in stream order. */
    Exchange createBatchExchange(GroupConsumer reader, List<Exchange> entries);

    /**
     * The value of {@code concurrencyKey} for one delivery of {@code entry}, or null when the endpoint has no per-key
     * limit or the value is empty (the entry is not limited).
     */
    String concurrencyKey(GroupConsumer reader, StreamEntry entry, Map<String, String> body, long deliveryCount);

    void releaseExchange(Exchange exchange, boolean autoRelease);

    AsyncProcessor getAsyncProcessor();

    ExceptionHandler getExceptionHandler();
}
