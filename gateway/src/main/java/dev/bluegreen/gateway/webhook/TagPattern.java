package dev.bluegreen.gateway.webhook;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A glob pattern for tag names, as in {@code bluegreen.gateway.webhooks.<app>.tags}: {@code *} matches any characters
 * but {@code /}, {@code **} any characters, {@code ?} one character but {@code /}, {@code [0-9]} one of the characters
 * ({@code [!0-9]} one not among them, nor {@code /}); every other character matches itself. So {@code v*} matches
 * {@code v1.4.0} but not {@code v1/rc}, and {@code release/**} matches {@code release/2026/11}.
 */
record TagPattern(String glob, Pattern regex) {

    /** @throws IllegalArgumentException saying what is wrong with the pattern */
    static TagPattern compile(String glob) {
        if (glob.isBlank()) {
            throw new IllegalArgumentException("it is blank");
        }
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '*' && i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
                regex.append(".*");
                i++;
            } else if (c == '*') {
                regex.append("[^/]*");
            } else if (c == '?') {
                regex.append("[^/]");
            } else if (c == '[') {
                i = characterClass(glob, i, regex);
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        try {
            return new TagPattern(glob, Pattern.compile(regex.toString()));
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("its [...] is not a range of characters, such as [0-9]");
        }
    }

    boolean matches(String tag) {
        return regex.matcher(tag).matches();
    }

    /** Appends the class that opens at {@code open} and returns the index of its closing {@code ]}. */
    private static int characterClass(String glob, int open, StringBuilder regex) {
        int start = open + 1;
        boolean negated = start < glob.length() && glob.charAt(start) == '!';
        if (negated) {
            start++;
        }
        int close = glob.indexOf(']', start);
        if (close <= start) {
            throw new IllegalArgumentException("the '[' at position " + (open + 1) + " opens no class of characters "
                    + "closed by ']'");
        }
        regex.append(negated ? "[^/" : "[");
        for (char c : glob.substring(start, close).toCharArray()) {
            if (c != '-' && !Character.isLetterOrDigit(c)) {
                regex.append('\\');
            }
            regex.append(c);
        }
        regex.append(']');
        return close;
    }

    @Override
    public String toString() {
        return glob;
    }
}
