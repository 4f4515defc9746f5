package dev.bluegreen.probe;

import java.time.Duration;

/**
 * The outcome of one probe of one droplet.
 *
 * @param answered whether the droplet answered with an HTTP status at all
 * @param passed whether it answered with the expected status and, when one is expected, the expected body text
 * @param outcome what happened, such as {@code "200 in 8 ms"}, {@code "503 in 4 ms (database unreachable)"},
 *     {@code "200 in 5 ms, but the body lacks \"db: ok\" (Welcome to nginx!)"} or {@code "connection refused"}
 */
public record ProbeResult(boolean answered, boolean passed, String outcome) {

    private static final int SNIPPET_LENGTH = 80;

    static ProbeResult answered(int status, String body, Duration took, Expectation expected) {
        String answer = status + " in " + took.toMillis() + " ms";
        if (status != expected.expectedStatus()) {
            String snippet = snippet(body);
            return new ProbeResult(true, false, answer + (snippet.isEmpty() ? "" : " (" + snippet + ")"));
        }
        String expectedBody = expected.expectedBody();
        if (expectedBody != null && !body.contains(expectedBody)) {
            String snippet = snippet(body);
            return new ProbeResult(true, false, answer + ", but the body lacks \"" + expectedBody + "\" ("
                    + (snippet.isEmpty() ? "empty" : snippet) + ")");
        }
        return new ProbeResult(true, true, answer);
    }

    static ProbeResult unanswered(String what) {
        return new ProbeResult(false, false, what);
    }

    /** A short single-line excerpt of a body: enough to tell "database unreachable" from a stack trace. */
    private static String snippet(String body) {
        String line = body.replaceAll("\\p{Cntrl}", " ").replaceAll("\\s+", " ").strip();
        return line.length() <= SNIPPET_LENGTH ? line : line.substring(0, SNIPPET_LENGTH) + "…";
    }
}
