package dev.bluegreen.sandbox.droplet;

import java.util.Arrays;

/**
 * How a command run on a droplet ended.
 *
 * @param exitCode the shell's exit status
 * @param output what it printed, standard output and standard error interleaved
 */
public record ExecResult(int exitCode, String output) {

    public boolean succeeded() {
        return exitCode == 0;
    }

    /** The last lines of the output, for an error message. */
    public String outputTail(int lines) {
        String[] all = output.strip().split("\n");
        int from = Math.max(0, all.length - lines);
        return String.join("\n", Arrays.copyOfRange(all, from, all.length));
    }
}
