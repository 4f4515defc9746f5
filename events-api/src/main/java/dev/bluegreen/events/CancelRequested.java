package dev.bluegreen.events;

/**
 * A person or CI asks to stop a deployment that has not reached traffic: one that is provisioning, being checked or
 * waiting for approval (a CI test gate that rejects it, say). The envelope's deploymentId names the deployment. A
 * switch already moving traffic cannot be cancelled; it ends by itself within its deadline.
 *
 * @param requestedBy who asked
 * @param reason why, in words a person understands; may be null
 */
public record CancelRequested(String app, String requestedBy, String reason) implements PipelineEvent {
}
