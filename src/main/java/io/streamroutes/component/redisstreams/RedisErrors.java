package io.streamroutes.component.redisstreams;

import java.util.Locale;

import org.springframework.dao.DataAccessResourceFailureException;
import redis.clients.jedis.exceptions.JedisConnectionException;

/**
 * Classifies failures of Redis calls: the server's error codes (NOGROUP, WRONGTYPE, ...) versus a lost connection.
 */
final class RedisErrors {

    private RedisErrors() {
    }

    /** True when the server answered with this error code (the first word of its error message). */
    static boolean hasCode(Throwable e, String code) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String msg = t.getMessage();
            if (msg != null && (msg.startsWith(code + ' ') || msg.equals(code) || msg.contains("ERR " + code)
                                || msg.contains(": " + code + ' ') || msg.startsWith("-" + code))) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    /** True for failures to reach Redis (refused, reset, timed out), as opposed to errors Redis answered with. */
    static boolean isConnectionFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof JedisConnectionException || t instanceof java.io.IOException
                || t instanceof DataAccessResourceFailureException) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    /** True when the server rejected our credentials; retrying fast would only hammer it. */
    static boolean isAuthFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String msg = t.getMessage();
            if (msg != null) {
                String m = msg.toUpperCase(Locale.ROOT);
                if (m.contains("WRONGPASS") || m.contains("NOAUTH") || m.contains("INVALID PASSWORD")
                    || m.contains("INVALID USERNAME-PASSWORD") || m.contains("WITHOUT ANY PASSWORD CONFIGURED")) {
                    return true;
                }
            }
        }
        return false;
    }

    /** One line describing the failure, without stack trace. */
    static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String msg = root.getMessage() != null ? root.getMessage() : e.getMessage();
        return root.getClass().getSimpleName() + ": " + msg;
    }
}
