package dev.bluegreen.agent.deployment;

import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
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

    /** Longest first, so a secret that contains another is masked whole. */
    private final List<String> secrets;

    private SecretMasker(Collection<String> secrets) {
        this.secrets = secrets.stream().filter(secret -> secret.length() >= SHORTEST_SECRET).distinct()
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

    /** Masks the secret values in one line; private key blocks need {@link Lines}, which knows the lines before. */
    String mask(String line) {
        String masked = line;
        for (String secret : secrets) {
            if (masked.contains(secret)) {
                masked = masked.replace(secret, MASK);
            }
        }
        return masked;
    }

    /** Masks the lines of a text, private key blocks included. */
    String maskText(String text) {
        Lines lines = new Lines();
        return String.join("\n", text.lines().map(lines::mask).toList());
    }

    /** Masks line after line of one output, keeping track of private key blocks. Not thread-safe. */
    final class Lines {

        private boolean insideKey;

        String mask(String line) {
            if (insideKey) {
                insideKey = !KEY_END.matcher(line).find();
                return MASK;
            }
            if (KEY_BEGIN.matcher(line).find()) {
                insideKey = !KEY_END.matcher(line).find();
                return MASK;
            }
            return SecretMasker.this.mask(line);
        }
    }
}
