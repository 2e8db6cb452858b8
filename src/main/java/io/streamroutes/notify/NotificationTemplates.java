package io.streamroutes.notify;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.streamroutes.component.redisstreams.RedisStreamsNonRetryableException;

/**
 * Renders the e-mail of a notification from editable files {@code <directory>/<template>.subject} and
 * {@code <directory>/<template>.body}. Files are read on every use, so an edit takes effect without a restart.
 * <p>
 * {@code ${field}} is replaced by the entry's field of that name (empty when the entry lacks it). Replacement is a
 * single pass: a field value containing {@code ${...}} is inserted literally, never expanded again.
 */
public class NotificationTemplates {

    /** Template names become file names: no dots, slashes or anything else that could leave the directory. */
    static final Pattern TEMPLATE_NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z0-9_.-]+)}");
    /** CR, LF and every other control character: none of them may reach a mail header. */
    private static final Pattern CONTROL = Pattern.compile("[\\p{Cntrl}\\u2028\\u2029\\u0085]+");

    private String directory = "templates";

    /** The subject on one line: line breaks and other control characters from the file or the fields become spaces. */
    public String subject(Map<String, String> fields) {
        String subject = render(fields, "subject");
        return CONTROL.matcher(subject).replaceAll(" ").strip();
    }

    public String body(Map<String, String> fields) {
        return render(fields, "body");
    }

    String render(Map<String, String> fields, String part) {
        String template = fields.get("template");
        if (template == null || template.isEmpty()) {
            throw new RedisStreamsNonRetryableException("no template given");
        }
        if (!TEMPLATE_NAME.matcher(template).matches()) {
            throw new RedisStreamsNonRetryableException("invalid template name '" + printable(template)
                                                        + "' (allowed: " + TEMPLATE_NAME.pattern() + ")");
        }
        Path file = Path.of(directory).resolve(template + "." + part);
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new RedisStreamsNonRetryableException("unknown template '" + template + "' (no file " + file + ")");
        } catch (IOException e) {
            // e.g. a permission problem an operator can fix: keep the entry for a retry
            throw new IllegalStateException("cannot read template file " + file + ": " + e.getMessage(), e);
        }
        return substitute(text, fields);
    }

    static String substitute(String text, Map<String, String> fields) {
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder(text.length() + 64);
        while (m.find()) {
            String value = fields.get(m.group(1));
            m.appendReplacement(out, Matcher.quoteReplacement(value == null ? "" : value));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** For error messages: an untrusted value without control characters, and not too long. */
    static String printable(String value) {
        String s = CONTROL.matcher(value).replaceAll("?");
        return s.length() > 80 ? s.substring(0, 80) + "..." : s;
    }

    public String getDirectory() {
        return directory;
    }

    public void setDirectory(String directory) {
        this.directory = directory;
    }
}
