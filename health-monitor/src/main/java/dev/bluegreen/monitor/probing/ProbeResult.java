package dev.bluegreen.monitor.probing;

import java.time.Duration;

/**
 * The outcome of one health probe of one droplet.
 *
 * @param answered whether the droplet answered with an HTTP status at all
 * @param passed whether it answered with the expected status
 * @param outcome what happened, such as {@code "200 in 8 ms"}, {@code "503 in 4 ms (database unreachable)"} or
 *     {@code "connection refused"}
 */
record ProbeResult(boolean answered, boolean passed, String outcome) {

    private static final int SNIPPET_LENGTH = 80;

    static ProbeResult answered(int status, int expectedStatus, Duration took, String body) {
        String snippet = snippet(body);
        String outcome = status + " in " + took.toMillis() + " ms" + (snippet.isEmpty() ? "" : " (" + snippet + ")");
        return new ProbeResult(true, status == expectedStatus, outcome);
    }

    static ProbeResult unanswered(String what) {
        return new ProbeResult(false, false, what);
    }

    /** The outcome as the end of a sentence about a droplet's last probe. */
    String asLast() {
        return (answered ? "last answer: " : "last: ") + outcome;
    }

    /** A short single-line excerpt of a body: enough to tell "database unreachable" from a stack trace. */
    private static String snippet(String body) {
        String line = body.replaceAll("\\p{Cntrl}", " ").replaceAll("\\s+", " ").strip();
        return line.length() <= SNIPPET_LENGTH ? line : line.substring(0, SNIPPET_LENGTH) + "…";
    }
}
