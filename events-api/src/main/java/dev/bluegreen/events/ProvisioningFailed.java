package dev.bluegreen.events;

/**
 * A deploy step failed, or a droplet could not be reached. The live colour was not touched.
 *
 * @param reason what went wrong, in words a person understands
 * @param dropletId the droplet where it failed, or null when no droplet was involved
 * @param step the name of the failing deploy step, or null when it failed before any step ran
 * @param exitCode the step's exit code, or null when it did not exit (timeout, connection lost)
 * @param outputTail the last lines of the step's output
 */
public record ProvisioningFailed(String app, Colour colour, String ref, String reason, Long dropletId, String step,
        Integer exitCode, String outputTail) implements PipelineEvent {
}
