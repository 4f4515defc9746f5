package dev.bluegreen.apps;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.Environment;
import org.springframework.core.env.PropertySource;

/**
 * What the apps file may hold beyond what each field's own validation says: app names that are safe wherever a name
 * goes (a path on a droplet, a URL, a Kafka key, a log line), and values of a sane size. A service checks it at
 * start-up and reports the first problem as one message that names the key and the fix. A problem never quotes a
 * value in full: it may be huge, or made to mislead whoever reads it on a terminal.
 */
public final class AppsFileCheck {

    /** Lower-case ASCII, as a DNS label: no path, no dot, nothing a terminal or a shell reads as more. */
    static final Pattern APP_NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");

    static final int LONGEST_COMMAND = 32 * 1024;

    static final int LONGEST_VALUE = 2 * 1024;

    static final int LONGEST_NAME = 100;

    static final int MOST_STEPS = 100;

    private static final String APPS = "bluegreen.apps";

    private static final String NAME_RULE = "Rename the app: an app name is 1 to 63 lower-case letters, digits, '-' "
            + "and '_', starting with a letter or digit, such as shop or blog-api.";

    /**
     * One thing wrong with the apps file.
     *
     * @param key the setting, such as {@code bluegreen.apps.shop.deploy.steps[0].run}
     * @param problem what is wrong, a sentence that names the key
     * @param fix what to do about it
     */
    public record Problem(String key, String problem, String fix) {
    }

    private AppsFileCheck() {
    }

    /** The problems of the apps file as bound in {@code catalog} and as written in {@code environment}'s sources. */
    public static List<Problem> problems(AppCatalog catalog, Environment environment) {
        List<Problem> problems = new ArrayList<>(writtenNames(environment));
        for (String name : catalog.names()) {
            if (!APP_NAME.matcher(name).matches()) {
                problems.add(new Problem(APPS + "." + printable(name), "The apps file names an app "
                        + printable(name) + ", which is no app name.", NAME_RULE));
                continue;
            }
            problems.addAll(sizes(APPS + "." + name, catalog.require(name)));
        }
        return problems;
    }

    /**
     * Spring drops the characters it cannot use from a key it reads ({@code ../etc} binds as {@code etc}, a name
     * with a right-to-left mark as the name without it), so a name is checked as the file wrote it as well.
     */
    private static List<Problem> writtenNames(Environment environment) {
        if (!(environment instanceof ConfigurableEnvironment configurable)) {
            return List.of();
        }
        Map<String, Problem> problems = new LinkedHashMap<>(); // one for each name, not for each of its keys
        for (PropertySource<?> source : configurable.getPropertySources()) {
            if (source instanceof EnumerablePropertySource<?> enumerable) {
                for (String key : enumerable.getPropertyNames()) {
                    writtenName(key).filter(name -> !APP_NAME.matcher(name).matches())
                            .ifPresent(name -> problems.putIfAbsent(name, new Problem(APPS, "The apps file holds "
                                    + "the key " + printable(key) + " (in " + source.getName() + "): " + (name.isEmpty()
                                            ? "no app name follows bluegreen.apps." : printable(name)
                                                    + " is no app name."), NAME_RULE)));
                }
            }
        }
        return List.copyOf(problems.values());
    }

    /** The app name in a key such as {@code bluegreen.apps.shop.repository} or {@code bluegreen.apps[shop].branch}. */
    private static Optional<String> writtenName(String key) {
        if (!key.startsWith(APPS) || key.length() == APPS.length()) {
            return Optional.empty();
        }
        String rest = key.substring(APPS.length());
        if (rest.startsWith("[")) {
            int end = rest.indexOf(']');
            return Optional.of(end < 0 ? rest.substring(1) : rest.substring(1, end));
        }
        if (!rest.startsWith(".")) {
            return Optional.empty(); // another setting, such as bluegreen.appsfile
        }
        int end = 1;
        while (end < rest.length() && rest.charAt(end) != '.' && rest.charAt(end) != '[') {
            end++;
        }
        return Optional.of(rest.substring(1, end));
    }

    private static List<Problem> sizes(String key, AppSpec app) {
        List<Problem> problems = new ArrayList<>();
        word(problems, key + ".load-balancer-id", app.loadBalancerId());
        word(problems, key + ".repository", app.repository());
        GitRef.brokenRule(app.branch()).ifPresent(rule -> problems.add(new Problem(key + ".branch",
                key + ".branch is not a branch name: it " + rule + ".", "Set it to the branch whose pushes deploy the "
                        + "app, as git names it, such as main.")));
        DeploySpec deploy = app.deploy();
        text(problems, key + ".deploy.directory", deploy.directory(), LONGEST_VALUE);
        text(problems, key + ".deploy.commit-command", deploy.commitCommand(), LONGEST_COMMAND);
        steps(problems, key + ".deploy.pre-deploy", deploy.preDeploy());
        steps(problems, key + ".deploy.steps", deploy.steps());
        steps(problems, key + ".deploy.post-deploy", deploy.postDeploy());
        text(problems, key + ".health.path", app.health().path(), LONGEST_VALUE);
        return problems;
    }

    private static void steps(List<Problem> problems, String key, List<StepSpec> steps) {
        if (steps.size() > MOST_STEPS) {
            problems.add(new Problem(key, key + " lists " + steps.size() + " steps.", "List at most " + MOST_STEPS
                    + " steps; put the rest in a script in the app's repository, and run that."));
        }
        for (int i = 0; i < steps.size() && i < MOST_STEPS; i++) {
            text(problems, key + "[" + i + "].name", steps.get(i).name(), LONGEST_NAME);
            if (steps.get(i).name().chars().anyMatch(Character::isISOControl)) {
                problems.add(new Problem(key + "[" + i + "].name", key + "[" + i + "].name holds a line break or "
                        + "another control character.", "Name the step in one line, such as install."));
            }
            text(problems, key + "[" + i + "].run", steps.get(i).run(), LONGEST_COMMAND);
        }
    }

    /** An id or URL: one word of printable characters. */
    private static void word(List<Problem> problems, String key, String value) {
        text(problems, key, value, LONGEST_VALUE);
        if (value.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
            problems.add(new Problem(key, key + " holds a space, a line break or another control character.",
                    "Set it to the one word it is, such as the id or URL as DigitalOcean or git prints it."));
        }
    }

    private static void text(List<Problem> problems, String key, @Nullable String value, int longest) {
        if (value != null && value.length() > longest) {
            problems.add(new Problem(key, key + " is " + value.length() + " characters long, more than the "
                    + longest + " it may be.", longest == LONGEST_COMMAND ? "Put a command this long in a script in "
                            + "the app's repository, and run that." : "Shorten it."));
        }
        if (value != null && value.indexOf('\0') >= 0) {
            problems.add(new Problem(key, key + " holds a NUL character.", "Remove it: no command or path can hold "
                    + "one."));
        }
    }

    /**
     * {@code text} as it can be shown safely: quoted, every character outside printable ASCII written as
     * {@code \}{@code uXXXX} (so a right-to-left mark or a look-alike letter shows for what it is), and cut short.
     */
    static String printable(String text) {
        StringBuilder shown = new StringBuilder("'");
        text.codePoints().limit(80).forEach(c -> shown.append(c >= 0x20 && c < 0x7f ? Character.toString(c)
                : c <= 0xffff ? String.format("\\u%04x", c) : String.format("\\U%08x", c)));
        return shown.append(text.codePointCount(0, text.length()) > 80 ? "…'" : "'").toString();
    }
}
