package dev.bluegreen.gateway.status;

import org.springframework.stereotype.Component;

import dev.bluegreen.lifecycle.Transition;
import dev.bluegreen.pipeline.lifecycle.LifecycleReactor;

/**
 * The gateway's part in the apps' lifecycles: it runs the lifecycle engine, which folds the lifecycle topic with the
 * shared state machine and, with {@code bluegreen.lifecycle.publish-states}, writes each app's state to the compacted
 * app-states topic. The gateway's instances share the apps among them, so each writes the states of the apps it owns.
 * It acts on no transition itself: status is read back from the app-states topic by every instance
 * ({@link AppStatesReader}), for every app, owned or not. As every service's engine does, it also expires the
 * deployments that outlive their deadlines, after the grace period, should the service whose turn it is not run.
 */
@Component
class StatePublishing implements LifecycleReactor {

    @Override
    public void onTransition(Transition transition) {
        // nothing to do: the engine writes the state, and AppStatesReader reads it back
    }
}
