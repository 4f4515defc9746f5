package dev.bluegreen.events;

/**
 * A person or CI approves moving traffic to the healthy idle colour of an app whose switch waits for approval.
 * The envelope's deploymentId names the deployment to promote.
 *
 * @param requestedBy who approved, as the request says; a note, not proof
 * @param actor the name of the token the gateway checked for this request; null in events published before this
 *     field was added (optional within version 1)
 */
public record PromoteRequested(String app, String requestedBy, String actor) implements PipelineEvent {

    public PromoteRequested(String app, String requestedBy) {
        this(app, requestedBy, null);
    }
}
