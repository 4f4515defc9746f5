package dev.bluegreen.agent.deployment;

import org.jspecify.annotations.Nullable;

/** How provisioning one droplet ended. */
sealed interface DropletOutcome {

    long dropletId();

    /** Every step passed and the droplet has {@code commit} checked out. */
    record Provisioned(long dropletId, String commit) implements DropletOutcome {
    }

    /**
     * The droplet could not be provisioned.
     *
     * @param step the step that failed, or null when none ran (the droplet could not be reached)
     * @param exitCode the step's exit code, when it exited
     * @param outputTail the end of the step's output, when it ran
     */
    record Failed(long dropletId, String reason, @Nullable String step, @Nullable Integer exitCode,
            @Nullable String outputTail) implements DropletOutcome {
    }

    /** The droplet ran nothing: it waited for the run-once hooks and steps, which did not pass on {@code ranOn}. */
    record NotBegun(long dropletId, long ranOn) implements DropletOutcome {
    }
}
