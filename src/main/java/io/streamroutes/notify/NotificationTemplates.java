package io.streamroutes.notify;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;

import freemarker.core.InvalidReferenceException;
import freemarker.core.ParseException;
import freemarker.core.TemplateClassResolver;
import freemarker.template.Configuration;
import freemarker.template.TemplateException;
import freemarker.template.TemplateExceptionHandler;
import freemarker.template.TemplateNotFoundException;
import io.streamroutes.component.redisstreams.RedisStreamsNonRetryableException;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Variable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The e-mail templates of the notifications route: {@code <directory>/<template>/<locale>/subject.ftl},
 * {@code text.ftl} and {@code html.ftlh}, rendered by camel-freemarker with {@link #freemarker()}. Chooses the locale
 * directory ({@link TemplateLocales}), gives the templates the entry's fields, keeps the subject on one line and turns
 * template faults (no such file, syntax error, missing field) into dead letters naming the template.
 */
public class NotificationTemplates {

    private static final Logger LOG = LoggerFactory.getLogger(NotificationTemplates.class);
    /** Template names become directory names: no dots, slashes or anything else that could leave the directory. */
    static final Pattern TEMPLATE_NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    /** CR, LF and every other control character: none of them may reach a mail header. */
    private static final Pattern CONTROL = Pattern.compile("[\\p{Cntrl}\\u2028\\u2029\\u0085]+");
    static final String SUBJECT = "subject.ftl";
    /** How soon a changed template file is seen: by FreeMarker (edits) and by the locale choice (files added, removed). */
    static final Duration RECHECK = Duration.ofSeconds(2);

    private String directory = "templates";
    private Path root = Path.of(directory);
    private String defaultLocale = "en";
    private final TemplateFiles files;

    public NotificationTemplates() {
        this(Clock.systemUTC());
    }

    NotificationTemplates(Clock clock) {
        this.files = new TemplateFiles(clock, RECHECK, 10_000);
    }

    /**
     * The locale directory to render {@code fields.template} from: the entry's {@code locale} field, else the user's
     * ({@code profileLocale}), falling back to its language and then to the default locale.
     */
    public String locale(@Body Map<String, String> fields, @Variable("profileLocale") String profileLocale) {
        String template = templateName(fields);
        String requested = fields.get("locale");
        if (requested == null || requested.isEmpty()) {
            requested = profileLocale;
        }
        Path templateDir = root.resolve(template);
        for (String tag : TemplateLocales.candidates(requested, defaultLocale)) {
            if (files.exists(templateDir.resolve(tag).resolve(SUBJECT))) {
                return tag;
            }
        }
        String fallback = TemplateLocales.candidates(null, defaultLocale).get(0);
        throw new RedisStreamsNonRetryableException("unknown template '" + template + "' (no file "
                                                    + templateDir.resolve(fallback).resolve(SUBJECT) + ")");
    }

    static String templateName(Map<String, String> fields) {
        String template = fields.get("template");
        if (template == null || template.isEmpty()) {
            throw new RedisStreamsNonRetryableException("no template given");
        }
        if (!TEMPLATE_NAME.matcher(template).matches()) {
            throw new RedisStreamsNonRetryableException("invalid template name '" + printable(template)
                                                        + "' (allowed: " + TEMPLATE_NAME.pattern() + ")");
        }
        return template;
    }

    /** What the templates see: every field of the entry by name, plus {@code locale} (the directory chosen). */
    public Map<String, Object> dataModel(@Body Map<String, String> fields, @Variable("locale") String locale) {
        Map<String, Object> model = new HashMap<>(fields);
        model.put("locale", locale);
        return model;
    }

    /** The subject on one line: line breaks and other control characters from the file or the fields become spaces. */
    public String subjectLine(@Variable("subject") String rendered) {
        return CONTROL.matcher(rendered).replaceAll(" ").strip();
    }

    /**
     * Rethrows a failure of rendering as a dead letter naming the template and what is wrong with it: these faults
     * are the same at every retry until someone edits the template.
     */
    public void rethrow(@ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Exception failure, @Body Map<String, String> fields,
                        @Variable("locale") String locale) {
        String where = "template '" + fields.get("template") + "' (locale " + locale + "): ";
        throw new RedisStreamsNonRetryableException(printable(where + describe(failure), 400), failure);
    }

    String describe(Throwable failure) {
        if (failure instanceof TemplateNotFoundException e) {
            return "no file " + root.resolve(e.getTemplateName());
        }
        if (failure instanceof ParseException e) {
            return "syntax error in " + e.getTemplateName() + " line " + e.getLineNumber() + ", column " + e.getColumnNumber()
                   + ": " + e.getEditorMessage();
        }
        if (failure instanceof InvalidReferenceException e) {
            return "missing field '" + e.getBlamedExpressionString() + "' in " + e.getTemplateSourceName() + " line "
                   + e.getLineNumber() + " (write ${" + e.getBlamedExpressionString() + "!} where it may be absent)";
        }
        if (failure instanceof TemplateException e) {
            return "error in " + e.getTemplateSourceName() + " line " + e.getLineNumber() + ": " + e.getMessageWithoutStackTop();
        }
        return String.valueOf(failure.getMessage());
    }

    /**
     * The FreeMarker configuration of the templates: files read from {@code directory} (re-read at most every 2 s
     * after an edit), {@code .ftlh} files HTML-escaped by default, every fault thrown, nothing in a template able to
     * create Java objects. A directory that does not exist does not stop the application (the other routes run): it
     * is reported once, and every mail is dead-lettered naming the missing file, as for any missing template, until
     * the directory is created (then its templates are read within 2 s, without a restart).
     */
    public static Configuration freemarker(String directory) throws IOException {
        Configuration configuration = new Configuration(Configuration.VERSION_2_3_34);
        File files = new File(directory);
        if (!files.isDirectory()) {
            LOG.warn("The e-mail template directory {} does not exist (notify.templates.dir): every e-mail is dead-lettered"
                     + " as a missing template until it is created", files.getAbsolutePath());
        }
        configuration.setTemplateLoader(new LateDirectoryTemplateLoader(files));
        configuration.setDefaultEncoding("UTF-8");
        configuration.setRecognizeStandardFileExtensions(true);
        configuration.setTemplateExceptionHandler(TemplateExceptionHandler.RETHROW_HANDLER);
        configuration.setLogTemplateExceptions(false);
        configuration.setWrapUncheckedExceptions(true);
        configuration.setLocalizedLookup(false);
        configuration.setNewBuiltinClassResolver(TemplateClassResolver.ALLOWS_NOTHING_RESOLVER);
        configuration.setAPIBuiltinEnabled(false);
        configuration.setTemplateUpdateDelayMilliseconds(RECHECK.toMillis());
        return configuration;
    }

    /** For error messages: an untrusted value without control characters, and not too long. */
    static String printable(String value) {
        return printable(value, 80);
    }

    static String printable(String value, int max) {
        String s = CONTROL.matcher(value).replaceAll("?");
        return s.length() > max ? s.substring(0, max) + "..." : s;
    }

    public String getDirectory() {
        return directory;
    }

    public void setDirectory(String directory) {
        this.directory = directory;
        this.root = Path.of(directory);
    }

    public String getDefaultLocale() {
        return defaultLocale;
    }

    public void setDefaultLocale(String defaultLocale) {
        this.defaultLocale = defaultLocale;
    }
}
