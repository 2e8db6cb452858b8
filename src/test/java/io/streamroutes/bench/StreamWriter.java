package io.streamroutes.bench;

import java.util.Map;

/**
 * A producer contestant: adds entries to one stream. {@link #flush} returns once every entry sent so far is in Redis.
 */
interface StreamWriter extends AutoCloseable {

    /** Short stable id used in results.json. */
    String id();

    String name();

    /** Whether {@link #send} waits for Redis' reply, so that its duration is a meaningful per-call latency. */
    boolean synchronous();

    void open(String key) throws Exception;

    void send(Map<String, String> fields) throws Exception;

    void flush();

    @Override
    void close() throws Exception;
}
