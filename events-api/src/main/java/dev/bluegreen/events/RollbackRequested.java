package dev.bluegreen.events;

/**
 * Someone (a person, or the health-monitor on its own) asks to move the app's traffic back to the previous colour.
 *
 * @param reason why the rollback is asked for
 */
public record RollbackRequested(String app, String requestedBy, String reason) implements PipelineEvent {
}
