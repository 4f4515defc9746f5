package dev.bluegreen.apps;

import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * What a ref must look like to reach a droplet: a branch, tag or commit that git itself would accept
 * ({@code git check-ref-format --branch}), that holds nothing a shell would read as code, and that is not absurdly
 * long. A ref reaches the deploy steps (as {@code {{ref}}} and {@code $BLUEGREEN_REF}); quoting it as one shell word
 * is only safe where the placeholder stands unquoted, so the characters a shell interprets never get that far,
 * whatever a template does with it. The gateway refuses a ref that breaks a rule, and the deploy-agent checks again
 * before any step runs, since anyone who can write to Kafka can ask for a deployment.
 */
public final class GitRef {

    /** Longer than any ref a person or CI names; git itself sets no limit, the file system does. */
    public static final int LONGEST = 255;

    /** Every character besides these is one some shell, or git, would read as more than a name. */
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._/+@-]*");

    private static final Pattern HEX_COMMIT = Pattern.compile("[0-9a-f]{7,64}");

    private static final List<Rule> RULES = List.of(
            new Rule(String::isEmpty, "must not be empty"),
            new Rule(ref -> ref.length() > LONGEST, "must not be longer than " + LONGEST + " characters"),
            new Rule(ref -> ref.chars().anyMatch(c -> c <= ' ' || c == 0x7f),
                    "must not contain spaces or control characters"),
            new Rule(ref -> ref.startsWith("-"), "must not start with '-'"),
            new Rule(ref -> ref.contains(".."), "must not contain '..' (git's rule)"),
            new Rule(ref -> ref.chars().anyMatch(c -> "~^:?*[\\".indexOf(c) >= 0),
                    "must not contain any of ~ ^ : ? * [ \\ (git's rule)"),
            new Rule(ref -> ref.contains("@{"), "must not contain '@{' (git's rule)"),
            new Rule(ref -> ref.equals("@"), "must not be '@' alone (git's rule)"),
            new Rule(ref -> ref.startsWith("/") || ref.contains("//"),
                    "must not start with '/' or contain '//' (git's rule)"),
            new Rule(ref -> ref.endsWith("/") || ref.endsWith("."), "must not end with '/' or '.' (git's rule)"),
            new Rule(ref -> List.of(ref.split("/")).stream().anyMatch(part -> part.startsWith(".")),
                    "must not have a part that starts with '.' (git's rule)"),
            new Rule(ref -> List.of(ref.split("/")).stream().anyMatch(part -> part.endsWith(".lock")),
                    "must not have a part that ends with '.lock' (git's rule)"),
            new Rule(ref -> !SAFE.matcher(ref).matches(),
                    "may hold only ASCII letters, digits and . _ - / + @, so that no shell reads it as code "
                            + "(such as $ ` ( ) ; | & ' \" < > ! { })"));

    private GitRef() {
    }

    /**
     * The rule {@code ref} breaks, as the end of a sentence that starts with "The ref"; empty when it breaks none.
     * The words never quote the ref: it may be long, or made to mislead whoever reads the message.
     */
    public static Optional<String> brokenRule(String ref) {
        return RULES.stream().filter(rule -> rule.broken().test(ref)).map(Rule::words).findFirst();
    }

    /** Whether {@code commit} is a commit's id as git writes it: 7 to 64 lower-case hex digits. */
    public static boolean isCommitId(String commit) {
        return HEX_COMMIT.matcher(commit).matches();
    }

    private record Rule(Predicate<String> broken, String words) {
    }
}
