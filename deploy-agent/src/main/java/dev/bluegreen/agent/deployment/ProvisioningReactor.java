package dev.bluegreen.agent.deployment;

import java.util.Optional;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import dev.bluegreen.apps.AppCatalog;
import dev.bluegreen.apps.AppSpec;
import dev.bluegreen.deployplan.DeployPlan;
import dev.bluegreen.events.DeployRequested;
import dev.bluegreen.events.DeploymentStarted;
import dev.bluegreen.events.Envelope;
import dev.bluegreen.events.EventType;
import dev.bluegreen.events.Phase;
import dev.bluegreen.events.ProvisioningFailed;
import dev.bluegreen.events.RequestRefused;
import dev.bluegreen.lifecycle.AppState;
import dev.bluegreen.lifecycle.Operation;
import dev.bluegreen.lifecycle.Transition;
import dev.bluegreen.pipeline.lifecycle.LifecycleReactor;

/**
 * What the deploy-agent does as the apps it owns unfold: a deploy request the lifecycle accepted is provisioned on the
 * colour the lifecycle names, a refused one is said aloud, and a deployment that stops provisioning (cancelled,
 * expired, moved on) or whose app goes to another instance is stopped here.
 *
 * <p>After a crash, the instance that takes an app over restores its state as of the engine's last commit and folds
 * the events after it again. A deployment the state shows provisioning and not started is started here; one that
 * started had its steps cut short with the instance that ran them, so it is failed with a reason, and the app takes
 * the next deployment. A request folded again is started again, and its DeploymentStarted waits behind the first
 * run's events in the app's history, so a deployment that ended meanwhile runs no step (see {@link DeploymentJob}).
 */
@Component
class ProvisioningReactor implements LifecycleReactor {

    private static final Logger log = LoggerFactory.getLogger(ProvisioningReactor.class);

    private static final String DEPLOY_REQUESTED = EventType.DEPLOY_REQUESTED.wireName();

    private final AppCatalog apps;

    private final Deployments deployments;

    private final Publisher events;

    ProvisioningReactor(AppCatalog apps, Deployments deployments, Publisher events) {
        this.apps = apps;
        this.deployments = deployments;
        this.events = events;
    }

    @Override
    public Set<Phase> ownPhases() {
        return Set.of(Phase.PROVISIONING);
    }

    @Override
    public void onTransition(Transition transition) {
        Envelope event = transition.event();
        AppState after = transition.after();
        if (event.data() instanceof DeployRequested request) {
            decided(transition, request);
        }
        else if (event.data() instanceof DeploymentStarted) {
            deployments.startFolded(after.app(), event, provisions(after, event.deploymentId()));
        }
        Operation was = transition.before().current();
        if (was != null && was.phase() == Phase.PROVISIONING && !provisions(after, was.id())) {
            deployments.stop(after.app(), was.id(), event.type() + " ended its provisioning");
        }
    }

    private void decided(Transition transition, DeployRequested request) {
        String deploymentId = transition.event().deploymentId();
        if (transition.decision().accepted()) {
            start(transition.after());
        }
        else if (transition.decision().refused()) {
            log.info("Deployment {} of {} requested by {} was refused: {}", deploymentId, request.app(),
                    request.requestedBy(), transition.decision().reason());
            events.publish(deploymentId, new RequestRefused(request.app(), DEPLOY_REQUESTED,
                    transition.decision().reason()));
        }
    }

    /**
     * The app's partition came to this instance. A deployment provisioning that no instance runs any more is started
     * if its steps had not begun, and failed if they had.
     */
    @Override
    public void onOwned(AppState state) {
        Operation current = state.current();
        if (current == null || current.kind() != Operation.Kind.DEPLOYMENT || current.phase() != Phase.PROVISIONING
                || deployments.runs(state.app(), current.id())) {
            return;
        }
        if (!current.started()) {
            log.info("Deployment {} of {} had not begun its steps when this instance took the app over; it begins "
                    + "here.", current.id(), state.app());
            start(state);
            return;
        }
        String reason = "The deploy-agent instance running this deployment stopped; " + current.target() + " may be "
                + "half-provisioned and gets no traffic. Deploy again.";
        log.warn("Deployment {} of {} failed: {}", current.id(), state.app(), reason);
        events.publish(current.id(), new ProvisioningFailed(state.app(), current.target(), current.ref(), reason, null,
                null, null, null));
    }

    @Override
    public void onReleased(String app) {
        deployments.stopAll(app, "this instance no longer owns " + app + "; the instance that takes it over decides");
    }

    @Override
    public void onUnknownApp(Envelope event) {
        if (event.data() instanceof DeployRequested request) {
            String reason = "There is no app named " + request.app() + " in the apps file of the deploy-agent.";
            log.warn("Deployment {} requested by {} was refused: {}", event.deploymentId(), request.requestedBy(),
                    reason);
            events.publish(event.deploymentId(), new RequestRefused(request.app(), DEPLOY_REQUESTED, reason));
        }
    }

    /** Provisions the colour the state's deployment targets: the lifecycle chose it, and it is never the live one. */
    private void start(AppState state) {
        Operation deployment = state.current();
        AppSpec app = apps.find(state.app()).orElse(null);
        if (deployment == null || app == null) {
            return; // the engine folds only apps of the apps file
        }
        DeployRequested request = new DeployRequested(state.app(), deployment.ref(), deployment.commit(),
                deployment.requestedBy());
        Optional<String> refusal = DeployPlan.refusal(deployment.id(), request);
        if (refusal.isPresent()) {
            // before the ref is logged: a ref that breaks the rules may be huge, or forge a line of the log
            String reason = "The deploy-agent refused the request: " + refusal.get() + ". No step ran on any droplet.";
            log.warn("Deployment {} of {} failed: {}", deployment.id(), state.app(), reason);
            events.publish(deployment.id(), new ProvisioningFailed(state.app(), deployment.target(),
                    Provisioner.shown(deployment.ref()), reason, null, null, null, null));
            return;
        }
        log.info("Deploying {} of {} to {} for deployment {}; {} is live and stays untouched.", deployment.ref(),
                state.app(), deployment.target(), deployment.id(), state.live());
        deployments.start(deployment.id(), request, app, deployment.target());
    }

    private static boolean provisions(AppState state, String deploymentId) {
        Operation current = state.current();
        return current != null && current.id().equals(deploymentId) && current.phase() == Phase.PROVISIONING;
    }
}
