package dev.bluegreen.events;

/**
 * Someone (a person, or the health-monitor on its own) asks to move the app's traffic back to the colour that
 * served before. The envelope's deploymentId is the rollback's own id.
 *
 * @param reason why the rollback is asked for
 * @param revertsDeployment the deployment whose switch this rollback undoes, when the asker means that one only (the
 *     health-monitor's automatic rollback does): the request is refused once another deployment or rollback came
 *     after it; null for a rollback of whatever is live
 */
public record RollbackRequested(String app, String requestedBy, String reason, String revertsDeployment)
        implements PipelineEvent {

    public RollbackRequested(String app, String requestedBy, String reason) {
        this(app, requestedBy, reason, null);
    }
}
