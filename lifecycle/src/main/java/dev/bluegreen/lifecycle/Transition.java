package dev.bluegreen.lifecycle;

import dev.bluegreen.events.Envelope;

/**
 * One step of the fold: the state before an event, the event, the state after it and the decision taken.
 */
public record Transition(AppState before, Envelope event, AppState after, Decision decision) {

    /** Whether this step entered {@code phase} for a deployment or rollback (a new one, or one moving on). */
    public boolean entered(dev.bluegreen.events.Phase phase) {
        return after.current() != null && after.current().phase() == phase && decision.changed()
                && (before.current() == null || before.current().phase() != phase
                        || !before.current().id().equals(after.current().id()));
    }

    /** The deployment or rollback that this step ended, if it ended one. */
    public java.util.Optional<Operation> ended() {
        Operation was = before.current();
        if (was != null && (after.current() == null || !after.current().id().equals(was.id()))) {
            return java.util.Optional.of(was);
        }
        return java.util.Optional.empty();
    }
}
