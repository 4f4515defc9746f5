package dev.bluegreen.events;

/**
 * A person or CI approves moving traffic to the healthy idle colour of an app whose switch waits for approval.
 * The envelope's deploymentId names the deployment to promote.
 */
public record PromoteRequested(String app, String requestedBy) implements PipelineEvent {
}
