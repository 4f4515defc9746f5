package dev.bluegreen.lifecycle;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

import dev.bluegreen.events.Colour;
import dev.bluegreen.events.Phase;

/**
 * The deployment or rollback under way for an app; an app has at most one.
 *
 * @param id the deployment's (or rollback's) id, which every one of its events carries
 * @param kind a deployment or a rollback
 * @param phase where it stands, and so whose turn it is
 * @param target the colour it provisions (a deployment) or moves traffic to
 * @param ref the ref deployed; null for a rollback
 * @param commit the commit provisioned, once known
 * @param requestedBy who asked
 * @param requestedAt when it was accepted
 * @param phaseSince when it entered its phase: its deadline counts from here
 * @param started whether the deploy-agent said it started running steps
 * @param promoted whether a person or CI approved its switch
 */
public record Operation(String id, Kind kind, Phase phase, Colour target, @Nullable String ref,
        @Nullable String commit, String requestedBy, Instant requestedAt, Instant phaseSince, boolean started,
        boolean promoted) {

    /** A deployment to the idle colour, or a move of traffic back to the colour that served before. */
    public enum Kind {
        DEPLOYMENT, ROLLBACK
    }

    static Operation deployment(String id, Colour target, String ref, @Nullable String commit, String requestedBy,
            Instant at) {
        return new Operation(id, Kind.DEPLOYMENT, Phase.PROVISIONING, target, ref, commit, requestedBy, at, at, false,
                false);
    }

    static Operation rollback(String id, Colour target, String requestedBy, Instant at) {
        return new Operation(id, Kind.ROLLBACK, Phase.SWITCHING, target, null, null, requestedBy, at, at, false,
                false);
    }

    Operation in(Phase next, Instant at) {
        return new Operation(id, kind, next, target, ref, commit, requestedBy, requestedAt, at, started, promoted);
    }

    Operation startedRunning() {
        return new Operation(id, kind, phase, target, ref, commit, requestedBy, requestedAt, phaseSince, true,
                promoted);
    }

    Operation provisioned(@Nullable String provisionedCommit, Instant at) {
        return new Operation(id, kind, Phase.CHECKING, target, ref, provisionedCommit, requestedBy, requestedAt, at,
                started, promoted);
    }

    Operation promotedAt(Instant at) {
        return new Operation(id, kind, Phase.SWITCHING, target, ref, commit, requestedBy, requestedAt, at, started,
                true);
    }

    /** A word for it in a sentence: "deployment d-1" or "rollback r-2". */
    public String describe() {
        return (kind == Kind.DEPLOYMENT ? "deployment " : "rollback ") + id;
    }
}
