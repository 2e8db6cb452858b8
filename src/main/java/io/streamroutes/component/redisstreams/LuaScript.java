package io.streamroutes.component.redisstreams;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A Lua script run by its SHA1 ({@code EVALSHA}), so its text is not sent with every call; {@link RedisStreamsClient#eval}
 * sends the text once with {@code EVAL} when the server does not know it (first call, restart, failover, SCRIPT FLUSH).
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
}
