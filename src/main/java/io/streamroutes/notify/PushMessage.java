package io.streamroutes.notify;

import java.util.LinkedHashMap;
import java.util.Map;

import io.streamroutes.component.redisstreams.RedisStreamsNonRetryableException;

/** The JSON document sent to the push gateway: {@code {"user_id": ..., "template": ...}}. */
public final class PushMessage {

    private PushMessage() {
    }

    public static Map<String, String> of(Map<String, String> fields) {
        String userId = fields.get("user_id");
        String template = fields.get("template");
        if (userId == null || userId.isEmpty()) {
            throw new RedisStreamsNonRetryableException("push notification without user_id");
        }
        if (template == null || !NotificationTemplates.TEMPLATE_NAME.matcher(template).matches()) {
            throw new RedisStreamsNonRetryableException("invalid template name '" + NotificationTemplates.printable(String.valueOf(template))
                                                        + "' (allowed: " + NotificationTemplates.TEMPLATE_NAME.pattern() + ")");
        }
        Map<String, String> json = new LinkedHashMap<>();
        json.put("user_id", userId);
        json.put("template", template);
        return json;
    }
}
