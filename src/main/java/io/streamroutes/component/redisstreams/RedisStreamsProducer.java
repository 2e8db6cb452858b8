package io.streamroutes.component.redisstreams;

import io.streamroutes.component.redisstreams.client.ScheduledEntries;
import io.streamroutes.component.redisstreams.client.UnconfirmedWrites;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import io.streamroutes.component.redisstreams.client.RedisStreamsClient;
import io.streamroutes.component.redisstreams.client.ReplicaWait;
import io.streamroutes.component.redisstreams.client.StreamWrites;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.support.DefaultProducer;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * Adds the body's fields as one entry (XADD), optionally trimming the stream (MAXLEN ~), and sets
 * {@link RedisStreamsConstants#ENTRY_ID} to the new id. A body that is a {@link Collection} of maps is added as a batch
 * in one round trip, as a whole ({@link RedisStreamsClient#addAll}) or, with {@code atomicBatch=false}, pipelined
 * ({@link RedisStreamsClient#addAllPipelined}), with the ids in {@link RedisStreamsConstants#ENTRY_IDS}. With
 * {@code waitReplicas} each write is followed by WAIT on the same connection ({@link ReplicaWait}); the exchange fails
 * when fewer replicas confirmed in time. When the exchange comes from a group consumer's entry, such a write is
 * remembered ({@link UnconfirmedWrites}) and the entry's retry confirms it with WAIT again instead of writing it again.
 * <p>
 * Each call (one entry, or one batch) takes a connection from the connection factory's pool and gives it back: the
 * pool is the only one, and concurrent callers each get their own connection (docs/performance.md measures the cost).
 */
public class RedisStreamsProducer extends DefaultProducer {

    private final ReplicaWait replicaWait;
    /** The endpoint's pooled connection factory, looked up once per start rather than per call. */
    private RedisConnectionFactory connectionFactory;

    public RedisStreamsProducer(RedisStreamsEndpoint endpoint) {
        super(endpoint);
        this.replicaWait = new ReplicaWait(endpoint.getConfiguration().getWaitReplicas(), endpoint.getConfiguration().getWaitTimeout());
        if (replicaWait.enabled()) {
            UnconfirmedWrites.producerWaitsForReplicas();
        }
    }

    @Override
    public RedisStreamsEndpoint getEndpoint() {
        return (RedisStreamsEndpoint) super.getEndpoint();
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        connectionFactory = getEndpoint().connectionFactory();
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        Object body = exchange.getIn().getBody();
        long dueAt = DeliveryTime.dueAtMillis(exchange.getIn().getHeader(RedisStreamsConstants.DELIVER_AT),
                exchange.getIn().getHeader(RedisStreamsConstants.DELAY), System.currentTimeMillis());
        if (dueAt != DeliveryTime.NOW) {
            schedule(exchange, body, dueAt);
            return;
        }
        UnconfirmedWrites.SourceEntry source = replicaWait.enabled() ? sourceEntry(exchange) : null;
        if (body instanceof Collection<?> batch) {
            List<String> ids = batch.isEmpty() ? List.of() : withClient(client -> confirmedWrite(client, source, c -> addBatch(c, exchange, batch)));
            exchange.getMessage().setHeader(RedisStreamsConstants.ENTRY_IDS, ids);
        } else {
            List<byte[]> fields = toFields(exchange, body, -1);
            List<String> ids = withClient(client -> confirmedWrite(client, source, c -> List.of(c.add(streamKey(), maxLen(), fields))));
            exchange.getMessage().setHeader(RedisStreamsConstants.ENTRY_ID, ids.get(0));
        }
    }

    /**
     * Atomic: each element is checked as it is sent, and an invalid one discards the whole transaction. Pipelined: all
     * are checked before the first is sent, since what is sent is added.
     */
    private List<String> addBatch(RedisStreamsClient client, Exchange exchange, Collection<?> batch) throws Exception {
        StreamWrites.EntryFields fields = (element, index) -> toFields(exchange, element, index);
        if (getEndpoint().getConfiguration().isAtomicBatch()) {
            return client.addAll(streamKey(), maxLen(), batch, fields);
        }
        int index = 0;
        for (Object element : batch) {
            checkedEntry(exchange, element, index++);
        }
        return client.addAllPipelined(streamKey(), maxLen(), batch, fields);
    }

    /**
     * The group entry the exchange processes: its property, or, for an exchange handed out before this producer existed
     * (a {@code toD} endpoint made on the way), its consumer's message when the route kept it.
     */
    private static UnconfirmedWrites.SourceEntry sourceEntry(Exchange exchange) {
        UnconfirmedWrites.SourceEntry source = exchange.getProperty(UnconfirmedWrites.SOURCE_PROPERTY, UnconfirmedWrites.SourceEntry.class);
        if (source == null && exchange.getIn() instanceof RedisStreamsMessage message) {
            source = message.sourceEntry();
        }
        return source;
    }

    /**
     * Adds the entry (or each of a batch) to the stream's scheduled entries instead, due at {@code dueAt}
     * ({@link ScheduledEntries}); no entry id exists before it is due, so none is set.
     */
    private void schedule(Exchange exchange, Object body, long dueAt) throws Exception {
        List<List<byte[]>> entries = new ArrayList<>();
        if (body instanceof Collection<?> batch) {
            int index = 0;
            for (Object element : batch) {
                entries.add(toFields(exchange, element, index++));
            }
        } else {
            entries.add(toFields(exchange, body, -1));
        }
        withClient(client -> {
            entries.forEach(fields -> ScheduledEntries.schedule(client, streamKey(), dueAt, fields));
            client.confirmReplicas(replicaWait, ScheduledEntries.key(streamKey()), entries.size() + " scheduled entries");
            return null;
        });
    }

    /**
     * Writes, then (with waitReplicas) waits for the replicas. A write of {@code source}'s exchange that an earlier
     * attempt made and the replicas did not confirm is not made again: only the WAIT is.
     */
    private List<String> confirmedWrite(RedisStreamsClient client, UnconfirmedWrites.SourceEntry source, ClientCall<List<String>> write)
            throws Exception {
        UnconfirmedWrites unconfirmed = source == null ? null : UnconfirmedWrites.of(client, streamKey(), source);
        List<String> earlier = unconfirmed == null ? null : unconfirmed.earlier();
        List<String> ids = earlier != null ? earlier : write.apply(client);
        if (!replicaWait.enabled()) {
            return ids; // nothing to confirm: the message below, which lists a batch's ids, is not built
        }
        String what = (ids.size() == 1 ? "Entry " + ids.get(0) : "Batch of " + ids.size() + " entries " + ids)
                      + (earlier != null ? " (written by an earlier attempt)" : "");
        try {
            client.confirmReplicas(replicaWait, streamKey(), what);
        } catch (RedisStreamsReplicasNotConfirmedException e) {
            if (unconfirmed != null && earlier == null) {
                unconfirmed.remember(ids);
            }
            throw e;
        }
        if (earlier != null) {
            unconfirmed.forget();
        }
        return ids;
    }

    private String streamKey() {
        return getEndpoint().getStreamKey();
    }

    private long maxLen() {
        return getEndpoint().getConfiguration().getMaxLen();
    }

    /** Runs one call on a connection from the pool; closing the client gives it back (the pool discards a broken one). */
    private <T> T withClient(ClientCall<T> call) throws Exception {
        try (RedisStreamsClient client = new RedisStreamsClient(connectionFactory)) {
            return call.apply(client);
        }
    }

    @FunctionalInterface
    private interface ClientCall<T> {
        T apply(RedisStreamsClient client) throws Exception;
    }

    /** What an error message calls the map at {@code index} of a batch, or the body itself ({@code -1}). */
    private static String describe(int index) {
        return index < 0 ? "the body" : "element " + index + " of the batch";
    }

    /** The body (or element {@code index} of a batch) as an entry's map; throws when it is none. */
    private static Map<?, ?> checkedEntry(Exchange exchange, Object body, int index) throws InvalidPayloadException {
        if (!(body instanceof Map<?, ?> map)) {
            throw new InvalidPayloadException(exchange, Map.class, exchange.getIn(),
                    new IllegalArgumentException("redis-streams producer needs a java.util.Map of field -> value (or a "
                                                 + "Collection of them), but " + describe(index) + " is "
                                                 + (body == null ? "null" : "a " + body.getClass().getName())));
        }
        if (map.isEmpty()) {
            throw new IllegalArgumentException("redis-streams producer: " + describe(index) + " is an empty Map; a stream entry needs at "
                                               + "least one field");
        }
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (e.getKey() == null || e.getValue() == null) {
                throw new IllegalArgumentException("redis-streams producer: field " + e.getKey() + " of " + describe(index) + " has a null "
                                                   + (e.getKey() == null ? "name" : "value"));
            }
        }
        return map;
    }

    private static List<byte[]> toFields(Exchange exchange, Object body, int index) throws Exception {
        Map<?, ?> map = checkedEntry(exchange, body, index);
        List<byte[]> fields = new ArrayList<>(map.size() * 2);
        for (Map.Entry<?, ?> e : map.entrySet()) {
            fields.add(e.getKey().toString().getBytes(StandardCharsets.UTF_8));
            Object value = e.getValue();
            fields.add(value instanceof byte[] raw
                    ? raw
                    : value instanceof String text
                    ? text.getBytes(StandardCharsets.UTF_8)
                    : exchange.getContext().getTypeConverter().mandatoryConvertTo(String.class, exchange, value)
                            .getBytes(StandardCharsets.UTF_8));
        }
        return fields;
    }
}
