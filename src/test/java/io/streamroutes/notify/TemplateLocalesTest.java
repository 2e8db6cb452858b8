package io.streamroutes.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

class TemplateLocalesTest {

    @Test
    void regionThenLanguageThenDefault() {
        assertEquals(List.of("de-AT", "de", "en"), TemplateLocales.candidates("de-AT", "en"));
        assertEquals(List.of("de", "en"), TemplateLocales.candidates("de", "en"));
        assertEquals(List.of("en"), TemplateLocales.candidates("en", "en"));
        assertEquals(List.of("en-GB", "en"), TemplateLocales.candidates("en-GB", "en"));
        assertEquals(List.of("fr-FR", "fr", "de"), TemplateLocales.candidates("fr-FR", "de"));
    }

    @Test
    void spellingsAreNormalisedAndGarbageIsIgnored() {
        assertEquals(List.of("de-AT", "de", "en"), TemplateLocales.candidates("de_at", "en"));
        assertEquals(List.of("de-AT", "de", "en"), TemplateLocales.candidates(" DE-at ", "en"));
        assertEquals(List.of("en"), TemplateLocales.candidates(null, "en"));
        assertEquals(List.of("en"), TemplateLocales.candidates("", "en"));
        assertEquals(List.of("en"), TemplateLocales.candidates("../../etc", "en"));
        assertEquals(List.of("en"), TemplateLocales.candidates("de\r\nBcc: x", "en"));
        assertEquals(List.of("en"), TemplateLocales.candidates("x", null));
    }
}
