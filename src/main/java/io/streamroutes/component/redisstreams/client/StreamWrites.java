package io.streamroutes.component.redisstreams.client;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import redis.clients.jedis.CommandArguments;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.args.Rawable;
import redis.clients.jedis.args.RawableFactory;
import redis.clients.jedis.exceptions.JedisDataException;

import static io.streamroutes.component.redisstreams.client.StreamReplies.bytes;
import static io.streamroutes.component.redisstreams.client.StreamReplies.string;

/** XADD, of one entry or of a batch, added as a whole or pipelined. */
public final class StreamWrites {

    private final CommandChannel client;

    StreamWrites(CommandChannel client) {
        this.client = client;
    }

    /** XADD key [MAXLEN ~ maxLen] * field value ...; returns the new id. */
    String add(String key, long maxLen, List<byte[]> fieldsAndValues) {
        return string(client.exec(key, "XADD", xaddArgs(key, maxLen, fieldsAndValues)));
    }

    /** The fields of element {@code index} of a batch; throws when the element is no valid entry. */
    @FunctionalInterface
    public interface EntryFields {
        List<byte[]> of(Object element, int index) throws Exception;
    }

    /**
     * Adds the elements of a batch, in order, and returns their ids. Standalone and Sentinel: one {@code MULTI}, the
     * XADDs and {@code EXEC}, pipelined in one round trip, so the batch is added as a whole or not at all. Each element
     * is converted as it is sent, so Redis queues the first XADDs while the rest are converted; an invalid element
     * ends the batch with {@code DISCARD} (nothing added) and its error. Redis Cluster: all converted first, then one
     * XADD after the other (a failure can leave the first ones added).
     * <p>
     * MULTI/EXEC rather than one Lua script adding the batch: the script's {@code redis.call} per XADD and its ARGV
     * table make Redis work about 1.7 times as much per entry as plain pipelined XADDs, MULTI/EXEC 1.05 (Redis 7) to
     * 1.2 (6.2) times. EXEC runs only once the whole batch is queued, so the client's conversion is on the critical
     * path: keep this loop lean.
     */
    List<String> addAll(String key, long maxLen, Collection<?> batch, EntryFields fields) throws Exception {
        return addBatch(key, maxLen, batch, fields, true);
    }

    /**
     * Adds the elements of a batch, in order, as pipelined XADDs without a transaction, and returns their ids. Redis
     * runs each XADD as it arrives, while the next are converted and sent. An element found invalid after the first
     * were sent ends the batch: the replies of those sent are read (they are added) and its error is thrown. So is
     * the first error Redis replies, once every reply is read. Redis Cluster: as {@link #addAll}.
     */
    List<String> addAllPipelined(String key, long maxLen, Collection<?> batch, EntryFields fields) throws Exception {
        return addBatch(key, maxLen, batch, fields, false);
    }

    private List<String> addBatch(String key, long maxLen, Collection<?> batch, EntryFields fields, boolean atomic) throws Exception {
        Jedis jedis = client.singleNodeJedis();
        if (jedis == null) {
            return addOneAfterTheOther(key, maxLen, batch, fields);
        }
        redis.clients.jedis.Connection socket = jedis.getConnection();
        List<Rawable> head = rawableHead(key, maxLen);
        if (atomic) {
            socket.sendCommand(Protocol.Command.MULTI);
        }
        int sent = 0;
        for (Object element : batch) {
            List<byte[]> entry;
            try {
                entry = fields.of(element, sent);
            } catch (Exception invalid) {
                if (atomic) {
                    socket.sendCommand(Protocol.Command.DISCARD);
                    socket.getMany(sent + 2); // OK, the QUEUED replies and DISCARD's OK: the connection stays in step
                } else {
                    socket.getMany(sent); // those sent are added; the connection stays in step
                }
                throw invalid;
            }
            socket.sendCommand(xaddCommand(head, entry));
            sent++;
        }
        if (!atomic) {
            return ids(socket.getMany(sent));
        }
        socket.sendCommand(Protocol.Command.EXEC);
        // every reply is read, errors included, so that the connection stays in step
        List<Object> replies = socket.getMany(sent + 2);
        for (Object reply : replies) {
            if (reply instanceof JedisDataException queueError) {
                throw queueError; // refused while queuing: EXEC discarded the whole batch
            }
        }
        // an error when run (e.g. WRONGTYPE) fails every XADD of one key alike
        return ids((List<?>) replies.get(replies.size() - 1));
    }

    /** The new ids, in order, from the XADDs' replies; the first error reply is thrown. */
    private static List<String> ids(List<?> replies) {
        List<String> ids = new ArrayList<>(replies.size());
        for (Object reply : replies) {
            if (reply instanceof JedisDataException refused) {
                throw refused;
            }
            ids.add(string(reply));
        }
        return ids;
    }

    /** All converted first, then one XADD after the other: a failure can leave the first ones added. */
    private List<String> addOneAfterTheOther(String key, long maxLen, Collection<?> batch, EntryFields fields) throws Exception {
        List<String> ids = new ArrayList<>(batch.size());
        List<List<byte[]>> entries = new ArrayList<>(batch.size());
        for (Object element : batch) {
            entries.add(fields.of(element, entries.size()));
        }
        for (List<byte[]> entry : entries) {
            ids.add(add(key, maxLen, entry));
        }
        return ids;
    }

    private static byte[][] xaddArgs(String key, long maxLen, List<byte[]> fieldsAndValues) {
        return xaddArgs(xaddHead(key, maxLen), fieldsAndValues);
    }

    /** The arguments before the fields: key [MAXLEN ~ maxLen] *, the same for every entry of a batch. */
    private static byte[][] xaddHead(String key, long maxLen) {
        return maxLen > 0
                ? new byte[][] {bytes(key), bytes("MAXLEN"), bytes("~"), bytes(Long.toString(maxLen)), bytes("*")}
                : new byte[][] {bytes(key), bytes("*")};
    }

    /** The head as Jedis arguments, made once per batch and shared by its XADDs. */
    private static List<Rawable> rawableHead(String key, long maxLen) {
        List<Rawable> head = new ArrayList<>();
        for (byte[] arg : xaddHead(key, maxLen)) {
            head.add(RawableFactory.from(arg));
        }
        return head;
    }

    /** One XADD of a batch, built straight into Jedis' arguments: the batch's cost on the client is in this loop. */
    private static CommandArguments xaddCommand(List<Rawable> head, List<byte[]> fieldsAndValues) {
        CommandArguments command = new CommandArguments(Protocol.Command.XADD);
        for (Rawable arg : head) {
            command.add(arg);
        }
        for (byte[] arg : fieldsAndValues) {
            command.add(RawableFactory.from(arg));
        }
        return command;
    }

    private static byte[][] xaddArgs(byte[][] head, List<byte[]> fieldsAndValues) {
        byte[][] args = new byte[head.length + fieldsAndValues.size()][];
        System.arraycopy(head, 0, args, 0, head.length);
        for (int i = 0; i < fieldsAndValues.size(); i++) {
            args[head.length + i] = fieldsAndValues.get(i);
        }
        return args;
    }
}
