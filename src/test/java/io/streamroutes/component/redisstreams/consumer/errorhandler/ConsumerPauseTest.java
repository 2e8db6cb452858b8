package io.streamroutes.component.redisstreams.consumer.errorhandler;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class ConsumerPauseTest {

    @Test
    void aPauseIsExtendedByALongerOneNeverShortenedAndEndsByItself() {
        ConsumerPause pause = new ConsumerPause();
        assertEquals(0, pause.remainingMillis(1000));
        pause.pauseUntil(3000, "HTTP 429");
        pause.pauseUntil(2000, "HTTP 503");
        assertEquals(2000, pause.remainingMillis(1000));
        assertEquals("HTTP 429", pause.reason(1000));
        pause.pauseUntil(5000, "HTTP 503");
        assertEquals("HTTP 503", pause.reason(4000));
        assertEquals(0, pause.remainingMillis(5000));
        assertNull(pause.reason(5000));
        assertEquals(5000, pause.untilMillis());
    }
}
