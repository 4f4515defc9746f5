package dev.bluegreen.events;

/**
 * Someone (a person, or the health-monitor on its own) asks to move the app's traffic back to the colour that
 * served before. The envelope's deploymentId is the rollback's own id.
 *
 * @param requestedBy who asked, as the request says; a note, not proof
 * @param reason why the rollback is asked for
 * @param revertsDeployment the deployment whose switch this rollback undoes, when the asker means that one only (the
 *     health-monitor's automatic rollback does): the request is refused once another deployment or rollback came
 *     after it; null for a rollback of whatever is live
 * @param actor the name of the token the gateway checked for this request; null when not asked through the gateway,
 *     and in events published before this field was added (optional within version 1)
 */
public record RollbackRequested(String app, String requestedBy, String reason, String revertsDeployment,
        String actor) implements PipelineEvent {

    public RollbackRequested(String app, String requestedBy, String reason) {
        this(app, requestedBy, reason, null, null);
    }

    public RollbackRequested(String app, String requestedBy, String reason, String revertsDeployment) {
        this(app, requestedBy, reason, revertsDeployment, null);
    }
}
