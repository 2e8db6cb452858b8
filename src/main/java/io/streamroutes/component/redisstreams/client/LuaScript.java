package io.streamroutes.component.redisstreams.client;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * A Lua script run by its SHA1 ({@code EVALSHA}), so its text is not sent with every call; {@link #eval} sends the
 * text once with {@code EVAL} when the server does not know it (first call, restart, failover, SCRIPT FLUSH).
 */
public record LuaScript(String text, String sha1) {

    public static LuaScript of(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8));
            return new LuaScript(text, HexFormat.of().formatHex(digest));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is required of every Java runtime", e);
        }
    }

    /**
     * Runs this script by its SHA1 (EVALSHA) with {@code keyCount} keys first in {@code keysAndArgs}; when the server
     * does not know it yet (NOSCRIPT) it is sent once with EVAL, which also caches it for the next EVALSHA. On a Redis
     * Cluster the first key picks the node.
     */
    Object eval(CommandChannel client, int keyCount, List<byte[]> keysAndArgs) {
        String routingKey = keyCount > 0 ? StreamReplies.string(keysAndArgs.get(0)) : "";
        byte[][] args = new byte[keysAndArgs.size() + 2][];
        args[0] = StreamReplies.bytes(sha1);
        args[1] = StreamReplies.bytes(Integer.toString(keyCount));
        for (int i = 0; i < keysAndArgs.size(); i++) {
            args[i + 2] = keysAndArgs.get(i);
        }
        try {
            return client.exec(routingKey, "EVALSHA", args);
        } catch (RuntimeException e) {
            if (!RedisErrors.isUnknownScript(e)) {
                throw e;
            }
            args[0] = StreamReplies.bytes(text);
            return client.exec(routingKey, "EVAL", args);
        }
    }
}
