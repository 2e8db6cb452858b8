package io.streamroutes.notify;

import java.util.Map;
import java.util.regex.Pattern;

import io.streamroutes.component.redisstreams.RedisStreamsNonRetryableException;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import org.apache.camel.Body;
import org.apache.camel.Variable;

/**
 * Checks the address a notification goes to. Only a bare address ({@code local@domain}) is accepted: no display
 * name, no list, no quoting, no comments and no control characters, so the value cannot add recipients or headers
 * when camel-mail writes it into the {@code To} header.
 */
public final class RecipientAddress {

    /** RFC 5321 dot-atom local part and a host name; deliberately stricter than what mail parsers tolerate. */
    private static final Pattern BARE_ADDRESS = Pattern.compile(
            "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
            + "@[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");
    static final int MAX_LENGTH = 254;

    private RecipientAddress() {
    }

    /**
     * The address to send to: the entry's {@code email} field when present, else {@code fromProfile} (the user's hash).
     * Throws {@link RedisStreamsNonRetryableException} when there is none or it is not a valid bare address.
     */
    public static String choose(@Body Map<String, String> fields, @Variable("profileEmail") String fromProfile) {
        String fromEntry = fields.get("email");
        String userId = fields.get("user_id");
        String address = fromEntry != null && !fromEntry.isEmpty() ? fromEntry : fromProfile;
        if (address == null || address.isEmpty()) {
            throw new RedisStreamsNonRetryableException("no e-mail address: the entry has no 'email' field and hash 'user:"
                                                        + NotificationTemplates.printable(String.valueOf(userId))
                                                        + "' has no 'email' field");
        }
        return check(address);
    }

    public static String check(String address) {
        if (address.length() > MAX_LENGTH || !BARE_ADDRESS.matcher(address).matches()) {
            throw invalid(address, "not a plain address local@domain");
        }
        try {
            InternetAddress parsed = new InternetAddress(address, true);
            parsed.validate();
            if (parsed.getPersonal() != null || !address.equals(parsed.getAddress())) {
                throw invalid(address, "not a plain address local@domain");
            }
        } catch (AddressException e) {
            throw invalid(address, e.getMessage());
        }
        return address;
    }

    private static RedisStreamsNonRetryableException invalid(String address, String why) {
        return new RedisStreamsNonRetryableException("invalid e-mail address '" + NotificationTemplates.printable(address) + "': "
                                                      + NotificationTemplates.printable(why));
    }
}
