package io.streamroutes.component.redisstreams.client;

/** One consumer of a consumer group: what XREADGROUP, XAUTOCLAIM and the pending queries of one consumer address. */
public record GroupConsumer(StreamGroup streamGroup, String name) {

    public String key() {
        return streamGroup.key();
    }

    public String group() {
        return streamGroup.group();
    }
}
