package dev.bluegreen.events;

/**
 * A person or CI asks to stop a deployment that has not reached traffic: one that is provisioning, being checked or
 * waiting for approval (a CI test gate that rejects it, say). The envelope's deploymentId names the deployment. A
 * switch already moving traffic cannot be cancelled; it ends by itself within its deadline.
 *
 * @param requestedBy who asked, as the request says; a note, not proof
 * @param reason why, in words a person understands; may be null
 * @param actor the name of the token the gateway checked for this request; null in events published before this
 *     field was added (optional within version 1)
 */
public record CancelRequested(String app, String requestedBy, String reason, String actor) implements PipelineEvent {

    public CancelRequested(String app, String requestedBy, String reason) {
        this(app, requestedBy, reason, null);
    }
}
