package io.streamroutes.bench;

/**
 * An I/O-bound contestant: works off {@code integration:tasks} (group {@code integration-workers}) like
 * routes/integration.yaml does, calling the {@link SlowProvider} at most {@link #concurrency()} calls at a time,
 * writing one {@code integration:results} entry per accepted charge and acknowledging the task. {@link #start} begins
 * consuming (set-up such as starting Camel is done there, before the clock runs); {@link #close} stops after the calls
 * in flight have finished.
 */
interface IoContestant extends AutoCloseable {

    String id();

    String name();

    int concurrency();

    void start() throws Exception;

    @Override
    void close() throws Exception;
}
