package dev.bluegreen.ssh;

import java.nio.charset.StandardCharsets;

/**
 * Wraps a command so that it ends, with everything it started, when its SSH channel closes: at a step's timeout, at a
 * cancel, or when the connection drops. OpenSSH runs an exec request without a terminal and ignores signal requests
 * (for root logins above all), so closing the channel is all the agent can do, and that alone stops nothing: the
 * command goes on with its output going nowhere.
 *
 * <p>The wrapper (POSIX sh) runs the command in a session and process group of its own ({@code setsid}), and keeps
 * the channel's standard input, which the agent holds open without writing to it after one line. That input ends
 * only when the channel or the connection is gone; the wrapper then kills the command's whole process group. The
 * command itself reads /dev/null, as with {@code ssh -n}. A server that does not pass standard input on (the
 * sandbox's SSH server) gives end of file before the agent's line: then nothing is killed, and that server ends
 * the command itself when the channel closes. The exit status is the command's; one killed by a signal exits with
 * 128 plus its number.
 */
final class GroupedCommand {

    /** What the agent writes to the command's standard input: the line that says it is listening. */
    static final byte[] HELLO = "bluegreen\n".getBytes(StandardCharsets.US_ASCII);

    /**
     * The step's shell calls setsid() a moment after the wrapper started it: until then its group does not exist,
     * and it has started nothing yet, so the watcher kills it by its pid; and it goes on as long as either is left.
     */
    private static final String WRAPPER = """
            exec 3<&0 </dev/null
            setsid "${SHELL:-/bin/sh}" -c "$1" 3<&- &
            step=$!
            {
              if read -r _; then
                while read -r _; do :; done
                while kill -s KILL -- "-$step" || kill -s KILL "$step"; do sleep 0.1; done
              fi
            } <&3 >/dev/null 2>&1 3<&- &
            watcher=$!
            exec 3<&-
            wait "$step"
            status=$?
            kill "$watcher" 2>/dev/null
            exit "$status"
            """;

    private GroupedCommand() {
    }

    /** {@code command} as the line to send in the exec request: it runs in the user's shell, as it would alone. */
    static String of(String command) {
        return "exec /bin/sh -c " + quote(WRAPPER) + " bluegreen-step " + quote(command);
    }

    private static String quote(String value) {
        return "'" + value.replace("'", "'\\''") + "'";
    }
}
