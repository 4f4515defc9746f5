package dev.bluegreen.agent.deployment;

import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;

/**
 * Masks secrets in the output of deploy steps before it leaves the agent. The rule, kept simple on purpose: the value of
 * every setting or environment variable the agent knows whose name holds TOKEN, SECRET, PASSWORD, PASSPHRASE or KEY
 * (values of at least {@value #SHORTEST_SECRET} characters), and every private key block
 * ({@code -----BEGIN ... PRIVATE KEY-----} to its END line), become {@value #MASK}.
 */
final class SecretMasker {

    static final String MASK = "******";

    static final int SHORTEST_SECRET = 6;

    private static final Pattern SECRET_NAME = Pattern.compile("TOKEN|SECRET|PASSWORD|PASSPHRASE|KEY");

    private static final Pattern KEY_BEGIN = Pattern.compile("-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----");

    private static final Pattern KEY_END = Pattern.compile("-----END [A-Z0-9 ]*PRIVATE KEY-----");

    /** Longer than any BEGIN or END line of a key block that OpenSSH or OpenSSL write. */
    private static final int LONGEST_KEY_MARKER = 64;

    /** Longest first, so a secret that contains another is masked whole. */
    private final List<String> secrets;

    private SecretMasker(Collection<String> secrets) {
        // output is masked line by line: a secret of several lines is masked by its lines, which are listed too
        this.secrets = secrets.stream().filter(secret -> secret.length() >= SHORTEST_SECRET)
                .filter(secret -> secret.indexOf('\n') < 0 && secret.indexOf('\r') < 0).distinct()
                .sorted(Comparator.comparingInt(String::length).reversed()).toList();
    }

    static SecretMasker of(Collection<String> secrets) {
        return new SecretMasker(secrets);
    }

    /** The values of the settings and environment variables named like secrets. */
    static SecretMasker of(ConfigurableEnvironment environment) {
        Set<String> secrets = new LinkedHashSet<>();
        for (PropertySource<?> source : environment.getPropertySources()) {
            if (source instanceof EnumerablePropertySource<?> names) {
                for (String name : names.getPropertyNames()) {
                    Object value = isSecretName(name) ? names.getProperty(name) : null;
                    if (value != null) {
                        secrets.add(value.toString());
                        // a multi-line secret (a key) shows up line by line in output
                        value.toString().lines().map(String::strip).forEach(secrets::add);
                    }
                }
            }
        }
        return new SecretMasker(secrets);
    }

    static boolean isSecretName(String name) {
        return SECRET_NAME.matcher(name.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "")).find();
    }

    /** Masks the secret values in one line; private key blocks need {@link Output}, which knows the lines before. */
    String mask(String line) {
        return maskSecrets(line, 0, line.length());
    }

    /** Masks the lines of a text, private key blocks included. */
    String maskText(String text) {
        Output output = new Output();
        return String.join("\n", text.lines().map(output::end).toList());
    }

    /**
     * How many characters at the end of a line cut short must wait for the rest: a secret or a key block's first line
     * that begins among them may go on past the cut.
     */
    int holdBack() {
        return Math.max(secrets.isEmpty() ? 0 : secrets.get(0).length() - 1, LONGEST_KEY_MARKER);
    }

    /**
     * {@code window} from {@code from} to {@code to}, every character that belongs to a secret in {@code window} (also
     * one that begins before {@code from} or ends after {@code to}) shown as {@value #MASK}, once for each run.
     */
    private String maskSecrets(String window, int from, int to) {
        boolean[] hidden = new boolean[to - from];
        boolean any = false;
        for (String secret : secrets) {
            int at = window.indexOf(secret, Math.max(0, from - secret.length() + 1));
            for (; at >= 0 && at < to; at = window.indexOf(secret, at + 1)) {
                for (int i = Math.max(at, from); i < Math.min(at + secret.length(), to); i++) {
                    hidden[i - from] = true;
                }
                any = true;
            }
        }
        if (!any) {
            return window.substring(from, to);
        }
        StringBuilder masked = new StringBuilder();
        for (int i = from; i < to; i++) {
            if (!hidden[i - from]) {
                masked.append(window.charAt(i));
            }
            else if (i == from || !hidden[i - from - 1]) {
                masked.append(MASK);
            }
        }
        return masked.toString();
    }

    /**
     * Masks one output as it arrives, line by line, where a line may be handed on in parts before it ends (a step that
     * prints megabytes without a line break). A part is masked as if the whole line were known: the last
     * {@link #holdBack()} characters wait for what follows, and as many before them are kept to be searched again, so
     * a secret or a key block's first line that a cut goes through is found whole, and no part of it shows on either
     * side. Not thread-safe.
     */
    final class Output {

        /** The line so far: the characters kept to search again, then those not yet handed on. */
        private final StringBuilder window = new StringBuilder();

        /** How many characters at the start of {@link #window} were handed on already. */
        private int handedOn;

        private boolean insideKey;

        /** Adds {@code text} to the current line, and returns the part of it that can be handed on now, masked. */
        String more(String text) {
            window.append(text);
            int cut = window.length() - holdBack();
            if (cut > 0 && Character.isLowSurrogate(window.charAt(cut))) {
                cut--; // a character outside the BMP stays whole
            }
            if (cut <= handedOn) {
                return "";
            }
            String part = masked(cut);
            int keptFrom = Math.max(0, cut - holdBack());
            window.delete(0, keptFrom);
            handedOn = cut - keptFrom;
            return part;
        }

        /** Whether a part of the current line waits to be handed on. */
        boolean holdsPart() {
            return window.length() > handedOn;
        }

        /** Adds {@code text}, the end of the current line, and returns what was not handed on yet, masked. */
        String end(String text) {
            window.append(text);
            if (!window.isEmpty() && window.charAt(window.length() - 1) == '\r') {
                window.setLength(window.length() - 1);
            }
            String rest = masked(window.length());
            window.setLength(0);
            handedOn = 0;
            return rest;
        }

        /**
         * The window up to {@code to}, from the first character not handed on. A key block hides every part of a
         * line that is in one or shows one of its BEGIN or END lines, as {@value #MASK}.
         */
        private String masked(int to) {
            String text = window.toString();
            boolean wasInsideKey = insideKey;
            boolean marker = false;
            Matcher begin = KEY_BEGIN.matcher(text);
            Matcher end = KEY_END.matcher(text);
            int lastBegin = begin.find() ? lastStart(begin) : -1;
            int lastEnd = end.find() ? lastStart(end) : -1;
            if (lastBegin >= 0 || lastEnd >= 0) {
                marker = true;
                insideKey = lastBegin > lastEnd;
            }
            return wasInsideKey || marker ? MASK : maskSecrets(text, handedOn, to);
        }
    }

    private static int lastStart(Matcher found) {
        int start = found.start();
        while (found.find()) {
            start = found.start();
        }
        return start;
    }
}
