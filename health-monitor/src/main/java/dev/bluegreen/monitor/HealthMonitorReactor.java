package dev.bluegreen.monitor;

import java.util.Locale;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

import dev.bluegreen.events.Envelope;
import dev.bluegreen.events.EnvironmentProvisioned;
import dev.bluegreen.events.Phase;
import dev.bluegreen.lifecycle.AppState;
import dev.bluegreen.lifecycle.Bake;
import dev.bluegreen.lifecycle.Operation;
import dev.bluegreen.lifecycle.Transition;
import dev.bluegreen.monitor.bake.BakeWatches;
import dev.bluegreen.monitor.probing.EnvironmentChecks;
import dev.bluegreen.pipeline.lifecycle.LifecycleReactor;

/**
 * What the health-monitor does as an app's history unfolds: it checks a colour while the deployment that provisioned
 * it is in its checking phase, and watches the colour that went live for as long as the history records its bake.
 * Both follow the app's state alone, so a check or a watch ends as soon as anything else happens to the app (a
 * cancel, an expiry, a new deployment, a rollback), and an instance that takes an app over picks up where the
 * state stands.
 */
@Component
class HealthMonitorReactor implements LifecycleReactor {

    private final EnvironmentChecks checks;
    private final BakeWatches watches;

    HealthMonitorReactor(EnvironmentChecks checks, BakeWatches watches) {
        this.checks = checks;
        this.watches = watches;
    }

    @Override
    public void onTransition(Transition transition) {
        String app = transition.after().app();
        Operation wasChecking = checking(transition.before());
        Operation nowChecking = checking(transition.after());
        if (wasChecking != null && (nowChecking == null || !nowChecking.id().equals(wasChecking.id()))) {
            checks.stop(app, wasChecking.id(), why(transition));
        }
        if (nowChecking != null && transition.entered(Phase.CHECKING)) {
            checks.start(app, nowChecking);
        }
        Bake bake = transition.after().bake();
        if (bake != null && !bake.equals(transition.before().bake())) {
            watches.watch(app, bake);
        } else if (bake == null && transition.before().bake() != null) {
            watches.end(app, why(transition));
        }
    }

    @Override
    public void onOwned(AppState state) {
        Operation checking = checking(state);
        if (checking != null) {
            checks.restart(state.app(), checking);
        }
        Bake bake = state.bake();
        if (bake != null) {
            watches.watch(state.app(), bake);
        }
    }

    @Override
    public void onReleased(String app) {
        checks.stop(app);
        watches.end(app, "another instance takes the app over");
    }

    @Override
    public void onUnknownApp(Envelope event) {
        if (event.data() instanceof EnvironmentProvisioned provisioned) {
            checks.unknownApp(event.deploymentId(), provisioned);
        }
    }

    /** A deployment's checking phase has the health-monitor's deadline: it expires it the moment it passes. */
    @Override
    public Set<Phase> ownPhases() {
        return Set.of(Phase.CHECKING);
    }

    private static @Nullable Operation checking(AppState state) {
        Operation current = state.current();
        return current != null && current.phase() == Phase.CHECKING ? current : null;
    }

    /** As the end of a sentence: "CancelRequested of d-7 from gateway was accepted". */
    private static String why(Transition transition) {
        Envelope event = transition.event();
        return event.type() + " of " + event.deploymentId() + " from " + event.source() + " was "
                + transition.decision().verdict().name().toLowerCase(Locale.ROOT);
    }
}
