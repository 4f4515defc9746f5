package dev.bluegreen.sandbox.history;

import java.util.Optional;

import org.jspecify.annotations.Nullable;

/**
 * One command an SSH client ran on a droplet.
 *
 * @param command the command line as the client sent it, cut to {@value SandboxHistory#COMMAND_TEXT_LIMIT}
 *     characters
 * @param started when the droplet received it, before the shell started
 * @param ended when the client was told its exit status, or null while it runs
 * @param exitStatus the shell's exit status, or null while it runs
 * @param outcome in words: {@code running}, {@code exit 0}, or
 *     {@code killed: its SSH channel closed before it ended (exit 137)}
 */
public record CommandRun(long dropletId, String dropletName, String command, Moment started, @Nullable Moment ended,
        @Nullable Integer exitStatus, String outcome) {

    public Span span() {
        return new Span(started, ended);
    }

    public Optional<Integer> exit() {
        return Optional.ofNullable(exitStatus);
    }

    /** {@code droplet sample-app-blue-1 (3164400) ran `git fetch ...` from ... until ... (exit 0)}. */
    @Override
    public String toString() {
        return "droplet " + dropletName + " (" + dropletId + ") ran `" + shortened(command) + "` " + span() + " ("
                + outcome + ")";
    }

    private static String shortened(String command) {
        String oneLine = command.strip().replaceAll("\\s+", " ");
        return oneLine.length() <= 120 ? oneLine : oneLine.substring(0, 117) + "...";
    }
}
