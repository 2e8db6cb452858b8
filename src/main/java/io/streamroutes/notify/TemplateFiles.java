package io.streamroutes.notify;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Whether a template file exists, remembered for {@code recheckAfter}: the locale of every mail is chosen by looking for
 * its template's files, and the answer changes only when someone adds or removes a template. A file added or removed
 * while running is seen within {@code recheckAfter}, as FreeMarker sees an edited file. At most {@code maxEntries}
 * answers are kept (template names and locales come from entries): when full, all are forgotten.
 */
final class TemplateFiles {

    private record Answer(boolean exists, long checkedAtMillis) {
    }

    private final Clock clock;
    private final long recheckAfterMillis;
    private final int maxEntries;
    private final Map<Path, Answer> answers = new ConcurrentHashMap<>();

    TemplateFiles(Clock clock, Duration recheckAfter, int maxEntries) {
        this.clock = clock;
        this.recheckAfterMillis = recheckAfter.toMillis();
        this.maxEntries = maxEntries;
    }

    boolean exists(Path file) {
        long now = clock.millis();
        Answer answer = answers.get(file);
        if (answer != null && now - answer.checkedAtMillis() < recheckAfterMillis) {
            return answer.exists();
        }
        boolean exists = Files.isRegularFile(file);
        if (answers.size() >= maxEntries) {
            answers.clear();
        }
        answers.put(file, new Answer(exists, now));
        return exists;
    }
}
