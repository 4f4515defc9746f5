package dev.bluegreen.apps;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.yaml.snakeyaml.constructor.DuplicateKeyException;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Reports a YAML file that does not read (the apps file, or a service's own settings) as one message that says where,
 * without a stack trace. A key given twice is refused by Spring's YAML reader, and rightly: one reader of the file would
 * see the first value and another the last. The message quotes SnakeYAML's words and line numbers only, never the
 * snippet of the file it would print, which may hold a secret.
 */
class YamlFailureAnalyzer extends AbstractFailureAnalyzer<MarkedYAMLException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, MarkedYAMLException cause) {
        String where = at(cause.getProblemMark());
        if (cause instanceof DuplicateKeyException) {
            return new FailureAnalysis("A YAML settings file gives a key twice: " + cause.getProblem() + where
                    + " (in the mapping that begins" + at(cause.getContextMark()) + ").",
                    "Give each key once: remove one of the two, or merge them. The file is the apps file named by "
                            + "bluegreen.config, or a settings file named by spring.config.*.", cause);
        }
        return new FailureAnalysis("A YAML settings file does not read: " + cause.getProblem() + where + ".",
                "Fix the file at that line: the apps file named by bluegreen.config, or a settings file named by "
                        + "spring.config.*. Check the indentation, and quote a value that holds ': ' or starts "
                        + "with a special character.", cause);
    }

    private static String at(@Nullable Mark mark) {
        return mark == null ? "" : " at line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1);
    }
}
