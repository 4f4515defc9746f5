package dev.bluegreen.pipeline.lifecycle;

import java.time.Instant;
import java.util.Set;

import dev.bluegreen.events.Envelope;
import dev.bluegreen.events.Phase;
import dev.bluegreen.lifecycle.AppState;
import dev.bluegreen.lifecycle.Transition;

/**
 * What a service does as its apps' histories unfold. A service has one bean of this type; the {@link LifecycleEngine}
 * calls it for the apps whose lifecycle partitions this instance owns, on the engine's stream thread, in each app's
 * order. Every method must return at once: hand work that takes time (SSH, probes, DigitalOcean calls) to threads of
 * your own, and publish its outcome to the lifecycle topic when it ends.
 *
 * <p>After a crash the engine folds again from its last commit, so a transition may be seen twice, once by the
 * instance that crashed and once by the one that takes over: a reaction must be safe to repeat (the fold ignores a
 * repeated outcome).
 */
public interface LifecycleReactor {

    /** One event was folded into the app's state: what the state was, what it is now and what was decided. */
    void onTransition(Transition transition);

    /**
     * This instance now owns the app: its partition was assigned and its state restored. Work in flight that no
     * instance of this service runs any more (its owner died) is resumed or failed here.
     */
    default void onOwned(AppState state) {
    }

    /** This instance no longer owns the app (its partition went to another instance, or this one stops): stop its work. */
    default void onReleased(String app) {
    }

    /** Called about once a second for every owned app: watches and deadlines of the service's own. */
    default void onTick(AppState state, Instant now) {
    }

    /** A lifecycle event of an app the apps file does not name; it is not folded. */
    default void onUnknownApp(Envelope event) {
    }

    /**
     * The phases whose deadlines this service enforces first: when one passes, the engine publishes
     * DeploymentExpired at once. Phases of other services are expired by this one too, but only after a grace
     * period, in case no instance of their own service runs.
     */
    default Set<Phase> ownPhases() {
        return Set.of();
    }
}
