package io.streamroutes.page;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RequestGuardTest {

    private final RequestGuard loopback = new RequestGuard(true);

    @Test
    void readingNeedsALoopbackHostWhileBoundToLoopback() {
        assertNull(loopback.refuseRead("127.0.0.1:8080"));
        assertNull(loopback.refuseRead("localhost:8080"));
        assertNull(loopback.refuseRead("[::1]:8080"));
        assertNotNull(loopback.refuseRead("evil.example:8080"), "DNS rebinding");
        assertNotNull(loopback.refuseRead(null));
        assertNull(new RequestGuard(false).refuseRead("ops.example.com"), "bound elsewhere, behind authentication");
    }

    @Test
    void actionsNeedTheTokenAndNoForeignOrigin() {
        String t = loopback.token();
        assertNull(loopback.refuseAction("127.0.0.1:8080", "http://127.0.0.1:8080", "same-origin", t));
        assertNull(loopback.refuseAction("127.0.0.1:8080", null, null, t), "old browsers and scripts send neither");
        assertTrue(loopback.refuseAction("127.0.0.1:8080", "http://127.0.0.1:8080", "same-origin", null).contains("token"));
        assertTrue(loopback.refuseAction("127.0.0.1:8080", "http://127.0.0.1:8080", "same-origin", t + "x").contains("token"));
        assertNotNull(loopback.refuseAction("127.0.0.1:8080", "http://evil.example", null, t));
        assertNotNull(loopback.refuseAction("127.0.0.1:8080", "http://127.0.0.1:9999", null, t), "another local site");
        assertNotNull(loopback.refuseAction("127.0.0.1:8080", "null", null, t), "sandboxed frame");
        assertNotNull(loopback.refuseAction("127.0.0.1:8080", null, "cross-site", t));
        assertNotNull(loopback.refuseAction("evil.example", "http://evil.example", "same-origin", t), "DNS rebinding");
    }
}
