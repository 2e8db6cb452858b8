package io.streamroutes.notify;

import java.time.Duration;

import org.apache.camel.util.TimeUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * The record of entries whose notification the SMTP server or the push gateway accepted: Redis keys
 * {@code notify:sent:<entry id>} (value: the entry id), each kept for {@code window}. The route checks it before
 * sending ({@link #contains}); the sender writes it on the sending thread as soon as the server accepted
 * ({@link #record}), before anything else happens to the exchange, so that a crash leaves as little time as possible
 * between the acceptance and the record. Bean {@code notifySent} in routes/notifications.yaml.
 */
public final class SentNotifications {

    public static final String KEY_PREFIX = "notify:sent";

    private static final Logger LOG = LoggerFactory.getLogger(SentNotifications.class);

    private final StringRedisTemplate redis;
    private final Duration window;

    public SentNotifications(StringRedisTemplate redis, String window) {
        long seconds = TimeUtils.toMilliSeconds(window) / 1000;
        if (seconds < 1) {
            throw new IllegalArgumentException("notify.sent-window must be at least 1s, not '" + window + "'");
        }
        this.redis = redis;
        this.window = Duration.ofSeconds(seconds);
    }

    static String key(String entryId) {
        return KEY_PREFIX + ":" + entryId;
    }

    /** Whether the notification of this entry was accepted before (within the window). */
    public boolean contains(String entryId) {
        return entryId != null && Boolean.TRUE.equals(redis.hasKey(key(entryId)));
    }

    /**
     * Records that the notification of this entry was accepted. A Redis failure here is logged, not thrown: the
     * notification is out already, and failing the exchange would only send it again; the entry is acked as usual.
     */
    public void record(String entryId) {
        if (entryId == null) {
            return;
        }
        try {
            redis.opsForValue().set(key(entryId), entryId, window);
        } catch (RuntimeException e) {
            LOG.warn("Entry {}: notification accepted but not recorded as {} ({}); were it delivered again, it would be sent again",
                    entryId, key(entryId), e.toString());
        }
    }
}
