package io.streamroutes.app;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code validate [routes-dir|file.yaml ...]}: checks every route file without running it (see {@link RouteFileCheck})
 * and prints one line per file. Exit 0 when all are OK, 1 when any is not, 2 when there is nothing to check.
 */
@Command(name = "validate", usageHelpWidth = 120, description = "Check route files and placeholders without running them (default: ./routes).")
final class ValidateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "routes-dir|file.yaml", arity = "0..*", description = "Route files and directories of them.")
    List<String> paths = new ArrayList<>();

    private PrintWriter out;
    private PrintWriter err;

    @Override
    public Integer call() throws IOException {
        Application.quietLogging();
        out = spec.commandLine().getOut();
        err = spec.commandLine().getErr();
        return run(paths);
    }

    private int run(List<String> args) throws IOException {
        List<Path> files = new ArrayList<>();
        for (String arg : args.isEmpty() ? List.of("routes") : args) {
            Path path = Path.of(arg);
            if (Files.isDirectory(path)) {
                try (Stream<Path> list = Files.list(path)) {
                    list.filter(f -> f.getFileName().toString().matches(".*\\.ya?ml")).filter(Files::isRegularFile).sorted()
                            .forEach(files::add);
                }
            } else if (Files.isRegularFile(path)) {
                files.add(path);
            } else {
                err.println("validate: no such file or directory: " + arg);
                return 2;
            }
        }
        if (files.isEmpty()) {
            err.println("validate: no route files (*.yaml) in " + String.join(" ", args.isEmpty() ? List.of("routes") : args));
            return 2;
        }
        int failed = 0;
        for (Path file : files) {
            RouteFileCheck.Result result = RouteFileCheck.check(file);
            out.println(result);
            if (!result.ok()) {
                failed++;
            }
        }
        out.println(failed == 0 ? files.size() + " route file(s) OK" : failed + " of " + files.size() + " route file(s) FAILED");
        return failed == 0 ? 0 : 1;
    }
}
