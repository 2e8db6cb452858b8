package io.streamroutes.notify;

import org.apache.camel.component.redis.processor.idempotent.SpringRedisStringIdempotentRepository;
import org.apache.camel.util.TimeUtils;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * The record of entries whose notification the SMTP server or the push gateway accepted: Redis keys
 * {@code notify:sent:<entry id>}, each kept for {@code window}, read and written by the route's idempotent consumer.
 */
public final class SentNotifications {

    public static final String KEY_PREFIX = "notify:sent";

    private SentNotifications() {
    }

    public static SpringRedisStringIdempotentRepository repository(StringRedisTemplate redis, String window) {
        long seconds = TimeUtils.toMilliSeconds(window) / 1000;
        if (seconds < 1) {
            throw new IllegalArgumentException("notify.sent-window must be at least 1s, not '" + window + "'");
        }
        SpringRedisStringIdempotentRepository repository = new SpringRedisStringIdempotentRepository(redis, KEY_PREFIX);
        repository.setExpiry(seconds);
        return repository;
    }
}
