package io.streamroutes.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * The raw loop (with Jedis, the baseline {@link RawJedisDrainer}) for any client ({@link AckReadCalls}), on one
 * thread: read a batch, hand each entry to the sink, send its XACK with the next XREADGROUP. With {@code readAhead}, as the component's ReadAhead does:
 * when a batch is full, the acks of the batches processed so far and the next (non-blocking) read are sent before the
 * batch is processed, and the reply is awaited after it; a batch that is not full is processed first and its acks go
 * with a blocking read.
 */
final class AckReadLoopDrainer<E> implements Drainer {

    private final String id;
    private final String name;
    private final Function<String, AckReadCalls<E>> connect;
    private final boolean readAhead;
    private AckReadCalls<E> calls;
    private LoopThread thread;

    /** @param connect opens the client for a stream key (not measured) */
    AckReadLoopDrainer(String id, String name, Function<String, AckReadCalls<E>> connect, boolean readAhead) {
        this.id = id;
        this.name = name;
        this.connect = connect;
        this.readAhead = readAhead;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void prepare(String key, EntrySink sink) {
        calls = connect.apply(key);
        thread = new LoopThread(id + "-drainer", running -> loop(sink, running));
    }

    @Override
    public void start() {
        thread.start();
    }

    private void loop(EntrySink sink, BooleanSupplier running) throws Exception {
        List<E> unacked = new ArrayList<>();
        List<E> batch = calls.ackThenRead(List.of());
        while (running.getAsBoolean()) {
            Future<List<E>> next = null;
            if (readAhead && batch.size() == RawJedisDrainer.COUNT) {
                next = calls.ackThenReadAhead(unacked);
                unacked = new ArrayList<>();
            }
            for (E entry : batch) {
                sink.accept(calls.fields(entry));
            }
            unacked.addAll(batch);
            if (next != null) {
                batch = next.get();
            } else {
                batch = calls.ackThenRead(unacked);
                unacked = new ArrayList<>();
            }
        }
        // what is still unacked here was read after the harness saw every entry processed and acked: nothing to do
    }

    @Override
    public void close() throws Exception {
        try {
            if (thread != null) {
                thread.stop();
            }
        } finally {
            if (calls != null) {
                calls.close();
            }
        }
    }
}
