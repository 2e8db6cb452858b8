package io.streamroutes.component.redisstreams.consumer;

import io.streamroutes.component.redisstreams.RedisStreamsConfiguration;
import io.streamroutes.component.redisstreams.client.RedisErrors;

/**
 * What a failed round of a reading loop means: its kind (a problem is reported once per kind), a description for the
 * log and the health check, what the reader must do about its connection and its pending list, and how long to wait
 * at least before the next round.
 */
record ReadFailure(String kind, String description, Recovery recovery, long minWaitMs) {

    /** Rejected credentials will not fix themselves quickly: retry rarely instead of hammering the server. */
    static final long AUTH_BACKOFF_MS = 30000;

    enum Recovery {
        /** The group is gone: set it up again; what was pending in it is no longer ours. */
        RECREATE_GROUP,
        /** Keep the connection (the server answered). */
        NOTHING,
        /** Reconnect. */
        RECONNECT,
        /** Reconnect; a reply may have been lost, so take up our pending list again. */
        RECONNECT_AND_RESUME_PENDING
    }

    static ReadFailure of(Exception e, RedisStreamsConfiguration config, String key) {
        String group = config.getGroup();
        if (RedisErrors.hasCode(e, "NOGROUP")) {
            return new ReadFailure("NOGROUP", config.isCreateGroup()
                    ? "consumer group '" + group + "' of stream '" + key
                      + "' is gone (Redis restarted without persistence, or XGROUP DESTROY); re-creating it at " + config.getStartId()
                    : "consumer group '" + group + "' does not exist on stream '" + key + "' and createGroup=false",
                    Recovery.RECREATE_GROUP, 0);
        }
        if (RedisErrors.hasCode(e, "WRONGTYPE")) {
            return new ReadFailure("WRONGTYPE", "Redis key '" + key + "' does not hold a stream", Recovery.NOTHING, 0);
        }
        if (RedisErrors.isAuthFailure(e)) {
            return new ReadFailure("AUTH", "Redis rejected the credentials: " + RedisErrors.describe(e), Recovery.RECONNECT,
                    AUTH_BACKOFF_MS);
        }
        if (RedisErrors.isConnectionFailure(e)) {
            return new ReadFailure("CONNECTION", "Redis unreachable: " + RedisErrors.describe(e),
                    Recovery.RECONNECT_AND_RESUME_PENDING, 0);
        }
        String description = RedisErrors.describe(e);
        return new ReadFailure(description, description, Recovery.RECONNECT, 0);
    }
}
