package dev.bluegreen.deployplan;

import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fills in the placeholders of a deploy step, such as {@code git fetch origin {{ref}}}. In a command each value is
 * single-quoted for the shell, so a ref like {@code main; rm -rf /} stays one literal argument where the placeholder
 * stands unquoted; {@link PlaceholderContexts} refuses it anywhere else.
 */
final class CommandTemplate {

    static final List<String> PLACEHOLDERS =
            List.of("app", "ref", "commit", "deployment_id", "colour", "repository", "branch", "directory");

    static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([^{}\\s]*)\\s*}}");

    private CommandTemplate() {
    }

    /** The names of the placeholders in {@code template}, in order. */
    static List<String> placeholders(String template) {
        return PLACEHOLDER.matcher(template).results().map(found -> found.group(1)).toList();
    }

    /** The template as a shell command: every value single-quoted. */
    static String command(String template, Map<String, String> values) {
        return render(template, values, CommandTemplate::quote);
    }

    /** The template with the values as they are, for a text that is quoted as a whole afterwards. */
    static String text(String template, Map<String, String> values) {
        return render(template, values, UnaryOperator.identity());
    }

    /** {@code value} as one shell word that the shell takes literally: no expansion, no command separators. */
    static String quote(String value) {
        return "'" + value.replace("'", "'\\''") + "'";
    }

    private static String render(String template, Map<String, String> values, UnaryOperator<String> encode) {
        Matcher placeholder = PLACEHOLDER.matcher(template);
        StringBuilder rendered = new StringBuilder();
        while (placeholder.find()) {
            String value = values.get(placeholder.group(1));
            if (value == null) {
                throw new IllegalArgumentException(placeholder.group() + " is not a placeholder here; the placeholders "
                        + "are " + String.join(", ", PLACEHOLDERS.stream().map(name -> "{{" + name + "}}").toList()));
            }
            placeholder.appendReplacement(rendered, Matcher.quoteReplacement(encode.apply(value)));
        }
        placeholder.appendTail(rendered);
        return rendered.toString();
    }
}
