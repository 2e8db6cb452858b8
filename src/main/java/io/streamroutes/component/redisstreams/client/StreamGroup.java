package io.streamroutes.component.redisstreams.client;

/** A stream and one of its consumer groups: what XACK, XPENDING and the dead-letter move address. */
public record StreamGroup(String key, String group) {

    /** The consumer {@code name} of this group. */
    public GroupConsumer consumer(String name) {
        return new GroupConsumer(this, name);
    }
}
