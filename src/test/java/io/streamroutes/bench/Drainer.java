package io.streamroutes.bench;

/**
 * A consumer contestant: reads a stream through consumer group {@link BenchStreams#GROUP}, hands every entry to the
 * sink and acknowledges it. {@link #prepare} does the set-up that is not measured, {@link #start} begins reading
 * (the clock runs from here), {@link #close} stops and releases everything.
 */
interface Drainer extends AutoCloseable {

    /** Short stable id used in results.json. */
    String id();

    String name();

    void prepare(String key, EntrySink sink) throws Exception;

    /**
     * Whether it reads the stream {@code key}; false for a reference that feeds the sink's entries without Redis
     * ({@link CamelFloorDrainer}): it gets no stream, no XPENDING check and no latency phase.
     */
    default boolean readsStream() {
        return true;
    }

    /** How many times the run's entries it drains per run: {@link AlternatingRounds#FAST_RUN_SCALE} unless it is slow. */
    default int runScale() {
        return AlternatingRounds.FAST_RUN_SCALE;
    }

    void start() throws Exception;

    @Override
    void close() throws Exception;
}
