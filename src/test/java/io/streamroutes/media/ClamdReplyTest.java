package io.streamroutes.media;

import java.io.IOException;

import io.streamroutes.component.redisstreams.RedisStreamsNonRetryableException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ClamdReplyTest {

    @Test
    void cleanAndInfected() throws IOException {
        assertNull(ClamdReply.threat("stream: OK"));
        assertEquals("Win.Test.EICAR_HDB-1", ClamdReply.threat("stream: Win.Test.EICAR_HDB-1 FOUND"));
        assertEquals("Eicar-Signature", ClamdReply.threat("stream: Eicar-Signature FOUND\n"));
    }

    @Test
    void sizeLimitIsPermanentOtherErrorsAreRetried() {
        assertThrows(RedisStreamsNonRetryableException.class, () -> ClamdReply.threat("INSTREAM size limit exceeded. ERROR"));
        assertThrows(IOException.class, () -> ClamdReply.threat("stream: Can't allocate memory ERROR"));
        assertThrows(IOException.class, () -> ClamdReply.threat(""));
        assertThrows(IOException.class, () -> ClamdReply.threat("stream:  FOUND"));
        assertThrows(IOException.class, () -> ClamdReply.threat("PONG"));
    }
}
