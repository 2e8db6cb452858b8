package io.streamroutes.component.redisstreams.client;

import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.dao.DataAccessResourceFailureException;
import redis.clients.jedis.exceptions.JedisAccessControlException;
import redis.clients.jedis.exceptions.JedisClusterOperationException;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/**
 * Classifies failures of Redis calls by the types Jedis and Spring Data Redis throw and, where Redis only gives an
 * error code, by that code: the first word of the RESP error reply ({@code -NOGROUP No such key ...}), which is the
 * protocol's contract, unlike the free text after it. Spring wraps Jedis' exceptions, so the cause chain is searched.
 */
public final class RedisErrors {

    /**
     * Replies of a Redis that is up but cannot serve now: a script running too long, loading its data, a replica after
     * failover, master down. By code, not by type: Jedis' JedisBusyException also stands for BUSYGROUP (a group that
     * exists), which is no outage.
     */
    private static final Set<String> UNAVAILABLE = Set.of("BUSY", "LOADING", "READONLY", "MASTERDOWN", "CLUSTERDOWN", "TRYAGAIN");
    /** Rejected credentials; NOPERM (an ACL forbidding a command or key) is a configuration error of another kind. */
    private static final Set<String> REJECTED_CREDENTIALS = Set.of("WRONGPASS", "NOAUTH");

    private RedisErrors() {
    }

    /**
     * Redis 6 wraps the error of a command a script calls, as in "ERR Error running script (call to f_[sha1]):
     * (at)user_script:[line]: NOGROUP No such key ..."; Redis 7 answers with the command's own code.
     */
    private static final Pattern SCRIPT_ERROR = Pattern.compile("ERR Error running script \\(call to f_[0-9a-f]+\\): @user_script:\\d+: (.*)",
            Pattern.DOTALL);

    /** The error code of the Redis error reply in the cause chain (e.g. {@code NOGROUP}), or null when Redis sent none. */
    static String errorCode(Throwable e) {
        for (Throwable t = e; t != null; t = next(t)) {
            if (t instanceof JedisDataException) {
                String reply = t.getMessage();
                Matcher script = reply == null ? null : SCRIPT_ERROR.matcher(reply);
                return leadingCode(script != null && script.matches() ? script.group(1) : reply);
            }
        }
        return null;
    }

    /**
     * The first word of an error reply when it is a code (upper-case letters, digits, underscore); Jedis gives the
     * reply without its leading {@code -}.
     */
    static String leadingCode(String reply) {
        if (reply == null) {
            return null;
        }
        int end = reply.indexOf(' ');
        String word = end < 0 ? reply : reply.substring(0, end);
        return !word.isEmpty() && word.chars().allMatch(c -> c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_') ? word : null;
    }

    /** True when the server answered with this error code. */
    public static boolean hasCode(Throwable e, String code) {
        return code.equals(errorCode(e));
    }

    /** True when the server does not know the script sent by EVALSHA (not loaded yet, restart, SCRIPT FLUSH). */
    static boolean isUnknownScript(Throwable e) {
        return find(e, JedisNoScriptException.class) != null || hasCode(e, "NOSCRIPT");
    }

    /**
     * True for failures to reach Redis (refused, reset, timed out, no node of a cluster reachable) and for a Redis that
     * is up but cannot serve yet (BUSY, LOADING, READONLY, MASTERDOWN, ...), as opposed to errors Redis answered a command with.
     */
    public static boolean isConnectionFailure(Throwable e) {
        for (Throwable t = e; t != null; t = next(t)) {
            if (t instanceof JedisConnectionException || t instanceof java.io.IOException
                || t instanceof DataAccessResourceFailureException) {
                return true;
            }
            // the cluster client gave up: its attempts failed to connect (kept as suppressed exceptions)
            if (t instanceof JedisClusterOperationException) {
                for (Throwable attempt : t.getSuppressed()) {
                    if (find(attempt, JedisConnectionException.class) != null) {
                        return true;
                    }
                }
            }
        }
        return UNAVAILABLE.contains(String.valueOf(errorCode(e)));
    }

    /**
     * True when the server rejected our credentials (WRONGPASS, NOAUTH), or refused the AUTH command itself (a password
     * given to a Redis that has none: {@code ERR AUTH <password> called without any password configured}); retrying
     * fast would only hammer it.
     */
    public static boolean isAuthFailure(Throwable e) {
        JedisAccessControlException denied = find(e, JedisAccessControlException.class);
        if (denied != null) {
            return REJECTED_CREDENTIALS.contains(leadingCode(denied.getMessage()));
        }
        JedisDataException reply = find(e, JedisDataException.class);
        return reply != null && reply.getMessage() != null && reply.getMessage().startsWith("ERR AUTH ");
    }

    /**
     * The kind of an outage, to report it once per change of kind rather than once per retry: the error code NOGROUP
     * or WRONGTYPE, AUTH, CONNECTION, or else the failure's description.
     */
    public static String kind(Throwable e) {
        if (hasCode(e, "NOGROUP") || hasCode(e, "WRONGTYPE")) {
            return errorCode(e);
        }
        if (isAuthFailure(e)) {
            return "AUTH";
        }
        return isConnectionFailure(e) ? "CONNECTION" : describe(e);
    }

    /** One line describing the failure, without stack trace. */
    public static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String msg = root.getMessage() != null ? root.getMessage() : e.getMessage();
        return root.getClass().getSimpleName() + ": " + msg;
    }

    private static <T extends Throwable> T find(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = next(t)) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    private static Throwable next(Throwable t) {
        return t.getCause() == t ? null : t.getCause();
    }
}
