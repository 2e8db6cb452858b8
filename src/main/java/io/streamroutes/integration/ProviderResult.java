package io.streamroutes.integration;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Body;
import org.apache.camel.Header;
import org.apache.camel.Variable;

/** The {@code integration:results} entry of a task the provider accepted. */
public final class ProviderResult {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ProviderResult() {
    }

    public static Map<String, String> of(@Variable("task") Map<String, String> task, @Variable("sourceId") String sourceId,
                                         @Header("CamelHttpResponseCode") Integer status, @Body String reply) {
        Map<String, String> result = new LinkedHashMap<>();
        result.put("source_id", sourceId);
        result.put("provider", task.get("provider"));
        result.put("action", task.get("action"));
        result.put("status", String.valueOf(status));
        String replyId = replyId(reply);
        if (replyId != null) {
            result.put("reply_id", replyId);
        }
        return result;
    }

    /** The {@code id} of a JSON object reply; null when the reply is not JSON or has none (the charge still went through). */
    static String replyId(String reply) {
        if (reply == null || reply.isBlank()) {
            return null;
        }
        try {
            JsonNode id = JSON.readTree(reply).get("id");
            return id != null && id.isValueNode() ? id.asText() : null;
        } catch (Exception e) {
            return null;
        }
    }
}
