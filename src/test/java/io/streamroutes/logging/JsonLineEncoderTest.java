package io.streamroutes.logging;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JsonLineEncoderTest {

    @Test
    void oneObjectPerLineWithTheMdcAndTheStackTraceInside() throws Exception {
        Logger logger = new LoggerContext().getLogger("io.streamroutes.Example");
        LoggingEvent event = new LoggingEvent(Logger.class.getName(), logger, Level.WARN, "entry {} failed: \"{}\"",
                new IllegalStateException("boom\nsecond line"), new Object[] { "1-0", "quoted" });
        event.setThreadName("worker \"1\"");
        event.setTimeStamp(1_700_000_000_123L);
        event.setMDCPropertyMap(Map.of("camel.routeId", "analytics-events", "redisStreams.stream", "business:events",
                "redisStreams.entryId", "1-0"));

        String text = new String(new JsonLineEncoder().encode(event), StandardCharsets.UTF_8);

        assertTrue(text.endsWith("\n"));
        assertEquals(1, text.split("\n", -1).length - 1, "exactly one line: " + text);
        JsonNode line = new ObjectMapper().readTree(text);
        assertEquals("2023-11-14T22:13:20.123Z", line.get("timestamp").asText());
        assertEquals("WARN", line.get("level").asText());
        assertEquals("io.streamroutes.Example", line.get("logger").asText());
        assertEquals("entry 1-0 failed: \"quoted\"", line.get("message").asText());
        assertEquals("worker \"1\"", line.get("thread").asText());
        assertEquals("analytics-events", line.get("camel.routeId").asText());
        assertEquals("business:events", line.get("redisStreams.stream").asText());
        assertEquals("1-0", line.get("redisStreams.entryId").asText());
        String trace = line.get("stack_trace").asText();
        assertTrue(trace.startsWith("java.lang.IllegalStateException: boom\nsecond line") && trace.contains("\tat "), trace);
    }

    @Test
    void noExceptionNoStackTrace() throws Exception {
        Logger logger = new LoggerContext().getLogger("x");
        LoggingEvent event = new LoggingEvent(Logger.class.getName(), logger, Level.INFO, "hello", null, null);
        event.setMDCPropertyMap(Map.of());
        JsonNode line = new ObjectMapper().readTree(new JsonLineEncoder().encode(event));
        assertFalse(line.has("stack_trace"));
        assertEquals("hello", line.get("message").asText());
    }
}
