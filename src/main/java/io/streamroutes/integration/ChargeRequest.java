package io.streamroutes.integration;

import java.math.BigInteger;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Pattern;

import io.streamroutes.component.redisstreams.RedisStreamsNonRetryableException;
import org.apache.camel.Body;
import org.apache.camel.Variable;

/**
 * The form body of a {@code create_charge} call: {@code amount} (minor units, e.g. cents), {@code currency} and
 * {@code customer} (the task's user id). A task whose amount is not a positive whole number within
 * {@code maxAmount} can never succeed and is dead-lettered before anything is sent.
 */
public class ChargeRequest {

    private static final Pattern DIGITS = Pattern.compile("[0-9]{1,30}");
    private static final Pattern USER_ID = Pattern.compile("[A-Za-z0-9_.:@-]{1,128}");

    /** Stripe accepts at most 8 digits (99,999,999 minor units); larger values are certainly a mistake. */
    private long maxAmount = 99_999_999L;

    public String form(@Body Map<String, String> task, @Variable("currency") String currency) {
        long amount = amount(task.get("amount"));
        String userId = task.get("user_id");
        if (userId == null || !USER_ID.matcher(userId).matches()) {
            throw new RedisStreamsNonRetryableException("invalid user_id '" + Tasks.printable(String.valueOf(userId))
                                                        + "' (allowed: " + USER_ID.pattern() + ")");
        }
        return "amount=" + amount + "&currency=" + encode(currency) + "&customer=" + encode(userId);
    }

    long amount(String value) {
        if (value == null || value.isEmpty()) {
            throw new RedisStreamsNonRetryableException("task without amount");
        }
        if (!DIGITS.matcher(value).matches()) {
            throw new RedisStreamsNonRetryableException("invalid amount '" + Tasks.printable(value)
                                                        + "': must be a positive whole number of minor units (e.g. cents)");
        }
        BigInteger amount = new BigInteger(value);
        if (amount.signum() <= 0 || amount.compareTo(BigInteger.valueOf(maxAmount)) > 0) {
            throw new RedisStreamsNonRetryableException("invalid amount '" + Tasks.printable(value) + "': must be between 1 and "
                                                        + maxAmount);
        }
        return amount.longValueExact();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    public long getMaxAmount() {
        return maxAmount;
    }

    public void setMaxAmount(long maxAmount) {
        this.maxAmount = maxAmount;
    }
}
