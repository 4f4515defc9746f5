package dev.bluegreen.events;

/**
 * A deployment stayed in one phase past that phase's deadline, so it ended there: the app is free for the next
 * deployment. Published by whichever service instance owns the app when the deadline passes; a late duplicate changes
 * nothing. The live colour was not touched.
 *
 * @param phase the phase that ran out of time
 * @param reason what did not happen in time, in words a person understands
 */
public record DeploymentExpired(String app, Phase phase, String reason) implements PipelineEvent {
}
