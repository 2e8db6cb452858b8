package io.streamroutes.page;

import java.net.URI;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;

/**
 * Who may use the page. Reading: only requests addressed to a loopback name while the server is bound to loopback
 * (a DNS-rebinding page of another site sends its own host name). Actions (POST) also need the page's anti-forgery
 * token, which another site cannot read, and no foreign {@code Origin}.
 */
final class RequestGuard {

    private final String token;
    private final boolean loopbackOnly;

    RequestGuard(boolean loopbackOnly) {
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        this.token = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        this.loopbackOnly = loopbackOnly;
    }

    String token() {
        return token;
    }

    /** Why a request to read the page is refused, or null. */
    String refuseRead(String host) {
        if (loopbackOnly && !isLoopbackName(hostName(host))) {
            return "Host '" + host + "' is not a loopback name";
        }
        return null;
    }

    /** Why an action is refused, or null. */
    String refuseAction(String host, String origin, String secFetchSite, String formToken) {
        String read = refuseRead(host);
        if (read != null) {
            return read;
        }
        if (secFetchSite != null && !secFetchSite.equals("same-origin") && !secFetchSite.equals("none")) {
            return "cross-site request (Sec-Fetch-Site: " + secFetchSite + ")";
        }
        if (origin != null && !sameHostAndPort(origin, host)) {
            return "cross-site request (Origin: " + origin + ")";
        }
        if (formToken == null || !MessageDigest.isEqual(formToken.getBytes(StandardCharsets.UTF_8), token.getBytes(StandardCharsets.UTF_8))) {
            return "missing or wrong anti-forgery token: reload the page";
        }
        return null;
    }

    private static boolean sameHostAndPort(String origin, String host) {
        try {
            URI uri = URI.create(origin);
            String authority = uri.getRawAuthority();
            return authority != null && host != null && authority.equalsIgnoreCase(host);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The name part of a Host header: {@code 127.0.0.1:8080} → {@code 127.0.0.1}, {@code [::1]:8080} → {@code ::1}. */
    static String hostName(String host) {
        if (host == null) {
            return "";
        }
        String h = host.trim().toLowerCase(Locale.ROOT);
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            return end > 0 ? h.substring(1, end) : h;
        }
        int colon = h.indexOf(':');
        return colon >= 0 ? h.substring(0, colon) : h;
    }

    static boolean isLoopbackName(String name) {
        return name.equals("localhost") || name.equals("::1") || name.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
    }
}
