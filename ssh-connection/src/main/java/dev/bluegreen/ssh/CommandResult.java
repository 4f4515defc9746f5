package dev.bluegreen.ssh;

import org.jspecify.annotations.Nullable;

/**
 * How a command on a droplet ended.
 *
 * @param exitCode its exit code, or null when it did not exit by itself (timed out, killed by a signal)
 * @param timedOut whether it was stopped because it ran past its timeout
 * @param signal the signal that killed it, such as {@code KILL}, if one did
 * @param outputTail the last lines of its standard output and standard error, interleaved as they arrived: as the
 *     droplet printed them, secrets and all, and cut wherever the window begins; for the agent's own reading, never to
 *     be published (the deployment's step log keeps a masked tail)
 */
public record CommandResult(@Nullable Integer exitCode, boolean timedOut, @Nullable String signal, String outputTail) {

    public boolean succeeded() {
        return !timedOut && exitCode != null && exitCode == 0;
    }
}
