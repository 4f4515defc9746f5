package dev.bluegreen.lifecycle;

/**
 * What the state machine made of one event.
 *
 * @param verdict what it did
 * @param reason why, for a refused or ignored event, in words a person understands; empty otherwise
 */
public record Decision(Verdict verdict, String reason) {

    /** The ways the state machine takes an event. */
    public enum Verdict {
        /** A request was accepted: the state now holds a new deployment or rollback, or moved one on. */
        ACCEPTED,
        /** A request was refused; the state is unchanged but for remembering the request's id. */
        REFUSED,
        /** An outcome or fact moved the app's state on. */
        APPLIED,
        /** Nothing changed: a duplicate, a late or stale outcome, or an event that changes no state. */
        IGNORED
    }

    static final Decision ACCEPTED = new Decision(Verdict.ACCEPTED, "");

    static final Decision APPLIED = new Decision(Verdict.APPLIED, "");

    static Decision refused(String reason) {
        return new Decision(Verdict.REFUSED, reason);
    }

    static Decision ignored(String reason) {
        return new Decision(Verdict.IGNORED, reason);
    }

    public boolean accepted() {
        return verdict == Verdict.ACCEPTED;
    }

    public boolean refused() {
        return verdict == Verdict.REFUSED;
    }

    /** Whether the event changed the app's state (an accepted request or an applied outcome). */
    public boolean changed() {
        return verdict == Verdict.ACCEPTED || verdict == Verdict.APPLIED;
    }
}
