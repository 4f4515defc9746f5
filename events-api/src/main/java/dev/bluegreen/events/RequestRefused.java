package dev.bluegreen.events;

/**
 * A request (deploy, rollback, promote or cancel) was refused, and nothing changed. Every service folds the same
 * history with the same state machine, so every service comes to the same refusal; this event only says it aloud,
 * for people and tools. The envelope's deploymentId is the request's.
 *
 * @param request the wire name of the refused request, such as {@code DeployRequested}
 * @param reason why, in words a person understands
 */
public record RequestRefused(String app, String request, String reason) implements PipelineEvent {
}
