package dev.bluegreen.dropletlab;

/**
 * How a command on the host or in a droplet ended.
 *
 * @param exitCode its exit code; 124 when it ran past its timeout and was killed
 * @param output its standard output and standard error, interleaved
 */
public record ExecResult(int exitCode, String output) {

    public boolean succeeded() {
        return exitCode == 0;
    }
}
