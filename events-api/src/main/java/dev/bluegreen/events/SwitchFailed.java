package dev.bluegreen.events;

/**
 * Traffic could not be moved to {@code to}; the load balancer still serves {@code from}.
 *
 * @param reason why, in words a person understands
 */
public record SwitchFailed(String app, Colour from, Colour to, String reason) implements PipelineEvent {
}
