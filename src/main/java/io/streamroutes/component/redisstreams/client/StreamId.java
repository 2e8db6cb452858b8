package io.streamroutes.component.redisstreams.client;

/** A stream entry id {@code <ms>-<seq>}, ordered as Redis orders them. */
public record StreamId(long millis, long sequence) implements Comparable<StreamId> {

    public static StreamId parse(String id) {
        int dash = id.indexOf('-');
        return dash < 0
                ? new StreamId(Long.parseUnsignedLong(id), 0)
                : new StreamId(Long.parseUnsignedLong(id.substring(0, dash)), Long.parseUnsignedLong(id.substring(dash + 1)));
    }

    /** The smallest id after this one. */
    public StreamId next() {
        return sequence == -1L ? new StreamId(millis + 1, 0) : new StreamId(millis, sequence + 1);
    }

    @Override
    public int compareTo(StreamId other) {
        int c = Long.compareUnsigned(millis, other.millis);
        return c != 0 ? c : Long.compareUnsigned(sequence, other.sequence);
    }

    @Override
    public String toString() {
        return Long.toUnsignedString(millis) + "-" + Long.toUnsignedString(sequence);
    }
}
