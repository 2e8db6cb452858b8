package io.streamroutes.component.redisstreams.client;

import java.util.Arrays;
import java.util.List;

/**
 * Writes of a consumed entry's exchange that reached the primary but not {@code waitReplicas} replicas, remembered on
 * the primary in the hash {@code <target>:unconfirmed} (field {@code <source stream> <group> <source entry id>}, value
 * the ids written, comma-separated), so that the entry's retry confirms them again with WAIT instead of writing them
 * again. The field is written after the entries on the same connection: Redis replicates in order, so a replica that
 * has the field has the entries too, and a failover that loses the entries loses the field with them (the retry then
 * writes again, as it must). The field is removed once the replicas confirmed.
 */
public final class UnconfirmedWrites {

    /**
     * Exchange property set by a group consumer, once a producer that waits for replicas exists in this JVM
     * ({@link #producerWaitsForReplicas()}): the {@link SourceEntry} the exchange processes.
     */
    public static final String SOURCE_PROPERTY = "CamelRedisStreamsSourceEntry";

    /** Set once for good: an exchange property costs a map per exchange, which no other reader of it needs. */
    private static volatile boolean producersWaitForReplicas;

    private final RedisStreamsClient client;
    private final String hash;
    private final String field;

    private UnconfirmedWrites(RedisStreamsClient client, String hash, String field) {
        this.client = client;
        this.hash = hash;
        this.field = field;
    }

    /** A producer with {@code waitReplicas} was created: consumers' exchanges carry {@link #SOURCE_PROPERTY} from now on. */
    public static void producerWaitsForReplicas() {
        producersWaitForReplicas = true;
    }

    /** Whether a consumer's exchange should carry {@link #SOURCE_PROPERTY}. */
    public static boolean isSourceWanted() {
        return producersWaitForReplicas;
    }

    /** The record of the writes of the exchange of {@code source} to {@code target}. */
    public static UnconfirmedWrites of(RedisStreamsClient client, String target, SourceEntry source) {
        return new UnconfirmedWrites(client, key(target), source.stream() + " " + source.group() + " " + source.id());
    }

    /**
     * The hash next to {@code target}: on a Cluster in the target's slot, so that one WAIT covers both (a target with
     * its own hash tag keeps it, one without gets itself as the tag).
     */
    public static String key(String target) {
        return (target.contains("{") ? target : "{" + target + "}") + ":unconfirmed";
    }

    /** The ids written by an earlier attempt and not confirmed yet, or null. */
    public List<String> earlier() {
        Object reply = client.exec(hash, "HGET", RedisStreamsClient.bytes(hash), RedisStreamsClient.bytes(field));
        String ids = reply == null ? "" : RedisStreamsClient.string(reply);
        return ids.isEmpty() ? null : Arrays.asList(ids.split(","));
    }

    public void remember(List<String> ids) {
        client.exec(hash, "HSET", RedisStreamsClient.bytes(hash), RedisStreamsClient.bytes(field), RedisStreamsClient.bytes(String.join(",", ids)));
    }

    public void forget() {
        client.exec(hash, "HDEL", RedisStreamsClient.bytes(hash), RedisStreamsClient.bytes(field));
    }

    /** The entry a consumer handed to the exchange: its stream, group and id. */
    public record SourceEntry(String stream, String group, String id) {
    }
}
