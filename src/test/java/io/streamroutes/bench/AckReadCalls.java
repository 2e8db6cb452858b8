package io.streamroutes.bench;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;

/**
 * One client's way of sending a batch's XACK together with the next XREADGROUP COUNT {@link RawJedisDrainer#COUNT} in one
 * round trip, for the client comparison ({@link AckReadLoopDrainer}). Entries come back decoded into String maps.
 *
 * @param <E> the client's decoded entry
 */
interface AckReadCalls<E> extends AutoCloseable {

    /** BLOCK of a read that waits, as the raw loop's. */
    int BLOCK_MS = 100;

    /** Acks {@code processed} (none: no XACK) and reads, blocking up to 100 ms like the raw loop; waits for the reply. */
    List<E> ackThenRead(List<E> processed) throws Exception;

    /**
     * Sends the acks and a non-blocking read now and returns at once; the caller may not call again before it has the
     * reply from the future.
     */
    Future<List<E>> ackThenReadAhead(List<E> processed);

    Map<String, String> fields(E entry);

    @Override
    void close();
}
