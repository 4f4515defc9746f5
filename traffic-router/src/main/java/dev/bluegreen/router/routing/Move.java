package dev.bluegreen.router.routing;

import java.util.List;
import java.util.Set;

import dev.bluegreen.events.Colour;
import dev.bluegreen.events.DriftDetected;
import dev.bluegreen.events.PipelineEvent;
import dev.bluegreen.events.RolledBack;
import dev.bluegreen.events.SwitchFailed;
import dev.bluegreen.events.TrafficSwitched;
import dev.bluegreen.lifecycle.AppState;
import dev.bluegreen.lifecycle.ColourRecord;
import dev.bluegreen.lifecycle.Operation;

/**
 * One move of an app's traffic, as the app's state asks for it: the deployment's switch or the rollback under way.
 *
 * @param app the app
 * @param operation the deployment or rollback whose move it is; its outcome is published in its id
 * @param recordedLive the colour the app's history says is live: what the balancer should serve before the move
 * @param resuming whether this instance takes over a move that another instance (or an earlier run) began: a
 *     balancer that already serves only the target then shows the move done, not moved by hand
 * @param arriving what the history says the target colour runs: the ref and commit its answers may show
 * @param leaving what the history says the other colour runs
 */
record Move(String app, Operation operation, Colour recordedLive, boolean resuming, ColourRecord arriving,
        ColourRecord leaving) {

    static Move of(AppState state, boolean resuming) {
        Operation operation = state.current();
        if (operation == null) {
            throw new IllegalStateException("Nothing is under way for " + state.app() + ", so there is nothing to move");
        }
        return new Move(state.app(), operation, state.live(), resuming, state.colour(operation.target()),
                state.colour(operation.target().other()));
    }

    String id() {
        return operation.id();
    }

    Colour target() {
        return operation.target();
    }

    /** The colour that stops taking traffic. */
    Colour from() {
        return operation.target().other();
    }

    /** "deployment d-1" or "rollback r-2". */
    String describe() {
        return operation.describe();
    }

    /**
     * Whether the balancer serves only the colour that is not recorded live, on a move that starts afresh: someone
     * moved the traffic outside the pipeline, and the router will not build on a history that is not true.
     */
    boolean drifted(Set<Colour> serving) {
        return !resuming && serving.size() == 1 && !serving.contains(recordedLive);
    }

    /** {@link DriftDetected}, then the {@link SwitchFailed} that ends the move without a write. */
    List<PipelineEvent> drift(Set<Colour> serving, String seen) {
        String detail = seen + ", but the history records " + recordedLive + " as live: the traffic was moved outside "
                + "the pipeline.";
        return List.of(new DriftDetected(app, recordedLive, List.copyOf(serving), detail),
                new SwitchFailed(app, from(), target(), "Traffic of " + app + " was not moved to " + target()
                        + " for " + describe() + ". " + detail + " Nothing changed; the history now takes the "
                        + "balancer's word for which colour is live."));
    }

    /** TrafficSwitched for a deployment, RolledBack for a rollback. */
    PipelineEvent succeeded(List<Long> dropletIds, long durationMs) {
        return operation.kind() == Operation.Kind.ROLLBACK
                ? new RolledBack(app, from(), target(), dropletIds, durationMs)
                : new TrafficSwitched(app, from(), target(), dropletIds, durationMs);
    }

    SwitchFailed failed(String reason) {
        return new SwitchFailed(app, from(), target(), reason);
    }
}
