package io.streamroutes.component.redisstreams.client;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Function;

import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.exceptions.JedisDataException;

import static io.streamroutes.component.redisstreams.client.StreamReplies.bytes;
import static io.streamroutes.component.redisstreams.client.StreamReplies.singleStream;

/**
 * The read path of {@link RedisStreamsClient}: XREADGROUP and XREAD, blocking without being cut by the client's socket
 * timeout, and the XACK of finished entries pipelined with the next XREADGROUP.
 */
final class StreamReads {

    private static final byte[] STREAMS = bytes("STREAMS");
    private static final byte[] COUNT = bytes("COUNT");
    private static final byte[] BLOCK = bytes("BLOCK");
    private static final byte[] GROUP = bytes("GROUP");

    private final CommandChannel client;

    StreamReads(CommandChannel client) {
        this.client = client;
    }

    /** XREADGROUP GROUP group consumer COUNT n [BLOCK ms] STREAMS key id. */
    List<StreamEntry> readGroup(GroupConsumer consumer, int count, long blockMs, String id) {
        String key = consumer.key();
        return singleStream(execBlocking(key, "XREADGROUP", blockMs, readGroupArgs(consumer, count, blockMs, id)));
    }

    /** XREAD COUNT n [BLOCK ms] STREAMS key id. */
    List<StreamEntry> read(String key, int count, long blockMs, String id) {
        List<byte[]> args = new ArrayList<>(7);
        addReadArgs(args, key, count, blockMs, id);
        return singleStream(execBlocking(key, "XREAD", blockMs, args.toArray(new byte[0][])));
    }

    /**
     * XACK of completed entries and the next XREADGROUP, pipelined in one round trip over the native Jedis connection
     * (standalone and Sentinel); elsewhere two calls. XACK runs first on the server, so the read's BLOCK does not delay
     * the acks.
     */
    RedisStreamsClient.AckedRead ackThenReadGroup(GroupConsumer consumer, Collection<String> ackIds, int count, long blockMs,
                                                  String id) {
        Jedis jedis = client.singleNodeJedis();
        if (jedis == null) {
            long acked = ackIds.isEmpty() ? 0 : ack(consumer.streamGroup(), ackIds);
            return new RedisStreamsClient.AckedRead(acked, readGroup(consumer, count, blockMs, id));
        }
        return CommandChannel.withBlockTime(jedis, blockMs, socket -> {
            boolean withAck = sendAckThenReadGroup(socket, consumer.streamGroup(), ackIds, readGroupArgs(consumer, count, blockMs, id));
            return receiveAckedRead(socket, withAck);
        });
    }

    /** {@link #ackThenReadGroup} without BLOCK, sent only (Jedis writes it with the next reply it waits for). */
    boolean sendAckThenReadGroup(GroupConsumer consumer, Collection<String> ackIds, int count) {
        return sendAckThenReadGroup(pipelined(), consumer.streamGroup(), ackIds, readGroupArgs(consumer, count, 0, ">"));
    }

    /** The replies of the oldest {@link #sendAckThenReadGroup} not yet received. */
    RedisStreamsClient.AckedRead receiveAckedRead(boolean withAck) {
        return receiveAckedRead(pipelined(), withAck);
    }

    private redis.clients.jedis.Connection pipelined() {
        Jedis jedis = client.singleNodeJedis();
        if (jedis == null) {
            throw new UnsupportedOperationException("this connection cannot pipeline (Redis Cluster)");
        }
        return jedis.getConnection();
    }

    /** XACK key group id...; returns how many were acked. */
    long ack(StreamGroup from, Collection<String> ids) {
        return (Long) client.exec(from.key(), "XACK", ackArgs(from, ids));
    }

    private static byte[][] ackArgs(StreamGroup from, Collection<String> ids) {
        byte[][] args = new byte[ids.size() + 2][];
        args[0] = bytes(from.key());
        args[1] = bytes(from.group());
        int i = 2;
        for (String id : ids) {
            args[i++] = bytes(id);
        }
        return args;
    }

    /**
     * Runs {@code call} with the Jedis socket timeout raised by {@code blockMs} (restored afterwards), so a blocking
     * read is not cut by the client's own timeout. An infinite timeout (0) or no BLOCK leaves it as it is.
     */

    private static byte[][] readGroupArgs(GroupConsumer consumer, int count, long blockMs, String id) {
        List<byte[]> args = new ArrayList<>(10);
        args.add(GROUP);
        args.add(bytes(consumer.group()));
        args.add(bytes(consumer.name()));
        addReadArgs(args, consumer.key(), count, blockMs, id);
        return args.toArray(new byte[0][]);
    }

    private static void addReadArgs(List<byte[]> args, String key, int count, long blockMs, String id) {
        args.add(COUNT);
        args.add(bytes(Integer.toString(count)));
        if (blockMs > 0) {
            args.add(BLOCK);
            args.add(bytes(Long.toString(blockMs)));
        }
        args.add(STREAMS);
        args.add(bytes(key));
        args.add(bytes(id));
    }

    /**
     * A blocking read must not be cut by the client's socket timeout: with Jedis the timeout is raised by the block
     * time for this one call. Other clients must be configured with a read timeout above {@code block}.
     */
    private Object execBlocking(String key, String command, long blockMs, byte[]... args) {
        if (blockMs > 0 && client.isCluster()) {
            return client.clusterClient().sendBlockingCommand(bytes(key), CommandChannel.protocolCommand(command), args);
        }
        Jedis jedis = client.singleNodeJedis();
        if (jedis == null) {
            return client.exec(key, command, args);
        }
        return CommandChannel.withBlockTime(jedis, blockMs, socket -> client.exec(key, command, args));
    }

    private static boolean sendAckThenReadGroup(redis.clients.jedis.Connection socket, StreamGroup from, Collection<String> ackIds,
                                                byte[][] readArgs) {
        if (!ackIds.isEmpty()) {
            socket.sendCommand(Protocol.Command.XACK, ackArgs(from, ackIds));
        }
        socket.sendCommand(Protocol.Command.XREADGROUP, readArgs);
        return !ackIds.isEmpty();
    }

    private static RedisStreamsClient.AckedRead receiveAckedRead(redis.clients.jedis.Connection socket, boolean withAck) {
        long acked = 0;
        RuntimeException ackError = null;
        if (withAck) {
            try {
                acked = (Long) socket.getOne();
            } catch (JedisDataException e) {
                ackError = e; // the read's reply must still be consumed to keep the connection in step
            }
        }
        Object reply = socket.getOne();
        if (ackError != null) {
            throw ackError;
        }
        return new RedisStreamsClient.AckedRead(acked, singleStream(reply));
    }
}
