package io.streamroutes.integration;

import java.util.regex.Pattern;

/** Helpers for untrusted task values in error messages. */
final class Tasks {

    private static final Pattern CONTROL = Pattern.compile("\\p{Cntrl}");

    private Tasks() {
    }

    /** Without control characters and not too long, so a dead-letter reason stays one readable line. */
    static String printable(String value) {
        String s = CONTROL.matcher(String.valueOf(value)).replaceAll("?");
        return s.length() > 80 ? s.substring(0, 80) + "..." : s;
    }
}
