package dev.bluegreen.sandbox.sampleapp;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One deploy step, as the apps file holds it: a shell command template run in the app's directory on a droplet.
 *
 * @param name shown in events and logs, such as {@code restart}
 * @param run the command; {@code {{name}}} placeholders are filled in, shell-quoted, by {@link #render}
 * @param timeout how long the step may run before it counts as failed
 */
public record Step(String name, String run, Duration timeout) {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([a-z_]+)}}");

    public Step {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(run, "run");
        Objects.requireNonNull(timeout, "timeout");
    }

    /**
     * The command with each placeholder replaced by its value, single-quoted for the shell, as the deploy-agent
     * does it.
     *
     * @throws IllegalArgumentException when the command names a placeholder {@code values} lacks
     */
    public String render(Map<String, String> values) {
        Matcher matcher = PLACEHOLDER.matcher(run);
        StringBuilder command = new StringBuilder();
        while (matcher.find()) {
            String value = values.get(matcher.group(1));
            if (value == null) {
                throw new IllegalArgumentException("Step " + name + " uses {{" + matcher.group(1)
                        + "}}, which has no value");
            }
            matcher.appendReplacement(command, Matcher.quoteReplacement(shellQuoted(value)));
        }
        matcher.appendTail(command);
        return command.toString();
    }

    static String shellQuoted(String value) {
        return "'" + value.replace("'", "'\"'\"'") + "'";
    }
}
