package dev.bluegreen.preflight;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** One run of the command, as from a shell: its exit code and everything it printed. */
record PreflightRun(int exitCode, String output) {

    static PreflightRun of(List<String> settings, String... words) {
        List<String> args = new ArrayList<>(settings);
        args.addAll(List.of(words));
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        int exitCode;
        try (PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8)) {
            exitCode = Preflight.run(args.toArray(String[]::new), out, false);
        }
        return new PreflightRun(exitCode, printed.toString(StandardCharsets.UTF_8));
    }

    /** The printed lines that start with the verdict, such as {@code FAIL}. */
    List<String> findings(String verdict) {
        return output.lines().filter(line -> line.startsWith(String.format("  %-5s ", verdict))).toList();
    }
}
