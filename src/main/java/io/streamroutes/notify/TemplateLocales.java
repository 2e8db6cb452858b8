package io.streamroutes.notify;

import java.util.ArrayList;
import java.util.IllformedLocaleException;
import java.util.List;
import java.util.Locale;

/**
 * The locales a template is looked up in, most specific first: the requested one ({@code de-AT}), its language
 * ({@code de}), then the default ({@code en}). Values are BCP 47 tags as written in template directory names;
 * {@code de_at} and {@code DE-at} are read as {@code de-AT}, anything that is not a language tag is ignored.
 */
public final class TemplateLocales {

    private TemplateLocales() {
    }

    public static List<String> candidates(String requested, String defaultLocale) {
        List<String> tags = new ArrayList<>(3);
        Locale locale = parse(requested);
        if (locale != null) {
            tags.add(locale.toLanguageTag());
            String language = locale.getLanguage();
            if (!tags.contains(language)) {
                tags.add(language);
            }
        }
        Locale fallback = parse(defaultLocale);
        String fallbackTag = fallback == null ? "en" : fallback.toLanguageTag();
        if (!tags.contains(fallbackTag)) {
            tags.add(fallbackTag);
        }
        return tags;
    }

    /** A language (2-3 letters) with an optional region, script or variant; null for anything else. */
    static Locale parse(String value) {
        if (value == null || value.isBlank() || value.length() > 35) {
            return null;
        }
        try {
            Locale locale = new Locale.Builder().setLanguageTag(value.strip().replace('_', '-')).build();
            return locale.getLanguage().isEmpty() ? null : locale;
        } catch (IllformedLocaleException e) {
            return null;
        }
    }
}
