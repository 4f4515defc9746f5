package dev.bluegreen.lifecycle;

import java.time.Instant;

import dev.bluegreen.events.AwaitingPromotion;
import dev.bluegreen.events.CancelRequested;
import dev.bluegreen.events.Colour;
import dev.bluegreen.events.DeployRequested;
import dev.bluegreen.events.DeploymentExpired;
import dev.bluegreen.events.DeploymentStarted;
import dev.bluegreen.events.DriftDetected;
import dev.bluegreen.events.EnvironmentHealthy;
import dev.bluegreen.events.EnvironmentProvisioned;
import dev.bluegreen.events.EnvironmentUnhealthy;
import dev.bluegreen.events.Envelope;
import dev.bluegreen.events.Phase;
import dev.bluegreen.events.PromoteRequested;
import dev.bluegreen.events.ProvisioningFailed;
import dev.bluegreen.events.RollbackRequested;
import dev.bluegreen.events.RolledBack;
import dev.bluegreen.events.SwitchFailed;
import dev.bluegreen.events.TrafficSwitched;
import dev.bluegreen.lifecycle.Operation.Kind;
import dev.bluegreen.lifecycle.Outcome.Result;

/**
 * The transition function. Requests are decided here, once, for every service; outcomes move the deployment or
 * rollback they name on, and only when it is the one under way and in the phase that outcome ends, so a late, stale
 * or repeated outcome changes nothing.
 */
final class Fold {

    private Fold() {
    }

    static Transition apply(AppState state, Envelope event) {
        if (!state.app().equals(event.subject())) {
            return new Transition(state, event, state, Decision.ignored("The event is about " + event.subject()
                    + ", not " + state.app() + "."));
        }
        Step step = decide(state, event, event.deploymentId(), event.time());
        AppState after = step.decision().verdict() == Decision.Verdict.IGNORED ? state : step.state().counted();
        return new Transition(state, event, after, step.decision());
    }

    private record Step(AppState state, Decision decision) {

        static Step ignored(AppState state, String reason) {
            return new Step(state, Decision.ignored(reason));
        }

        static Step refused(AppState state, String id, String reason) {
            return new Step(state.remembering(id), Decision.refused(reason));
        }
    }

    private static Step decide(AppState state, Envelope event, String id, Instant at) {
        Object data = event.data();
        if (data instanceof DeployRequested request) {
            return deploy(state, id, request, at);
        }
        if (data instanceof RollbackRequested request) {
            return rollback(state, id, request, at);
        }
        if (data instanceof PromoteRequested) {
            return promote(state, id, at);
        }
        if (data instanceof CancelRequested request) {
            return cancel(state, id, request, at);
        }
        if (data instanceof DeploymentStarted) {
            return started(state, id);
        }
        if (data instanceof EnvironmentProvisioned provisioned) {
            return provisioned(state, id, provisioned, at);
        }
        if (data instanceof ProvisioningFailed failed) {
            return end(state, id, Phase.PROVISIONING, Result.FAILED, failed.reason(), at);
        }
        if (data instanceof EnvironmentHealthy) {
            return healthy(state, id, at);
        }
        if (data instanceof EnvironmentUnhealthy unhealthy) {
            return end(state, id, Phase.CHECKING, Result.FAILED, unhealthy.reason(), at);
        }
        if (data instanceof AwaitingPromotion) {
            return awaiting(state, id, at);
        }
        if (data instanceof TrafficSwitched) {
            return switched(state, id, at);
        }
        if (data instanceof RolledBack) {
            return rolledBack(state, id, at);
        }
        if (data instanceof SwitchFailed failed) {
            return end(state, id, Phase.SWITCHING, Result.FAILED, failed.reason(), at);
        }
        if (data instanceof DeploymentExpired expired) {
            if (expired.phase() == Phase.SWITCHING) {
                // only the traffic-router, which reads the balancer, may end a move it has begun
                return Step.ignored(state, "A move of traffic does not expire; the traffic-router ends it.");
            }
            return end(state, id, expired.phase(), Result.EXPIRED, expired.reason(), at);
        }
        if (data instanceof DriftDetected drift) {
            return drift(state, drift, id, at);
        }
        return Step.ignored(state, event.type() + " changes no app's state.");
    }

    private static Step deploy(AppState state, String id, DeployRequested request, Instant at) {
        if (state.remembers(id)) {
            return Step.ignored(state, "Deployment " + id + " was decided already; this is a repeated request.");
        }
        String ref = request.ref();
        if (ref == null || ref.isBlank()) {
            return Step.refused(state, id, "The deploy request names no ref to deploy.");
        }
        if (ref.startsWith("-")) {
            // No git ref starts with a dash, and git would read such an argument as an option (--upload-pack=...).
            return Step.refused(state, id, "The ref " + ref + " starts with a dash: no git ref does, and git would "
                    + "take it for an option.");
        }
        if (state.colour(state.idle()).status() == ColourStatus.LIVE) {
            return Step.refused(state, id, "The load balancer sends " + state.app() + "'s traffic to both colours: a "
                    + "move could not take " + state.idle() + " out again. Nothing was deployed; the traffic-router "
                    + "takes " + state.idle() + " out and says so, and then a deployment may go there.");
        }
        Operation busy = state.current();
        if (busy != null) {
            return Step.refused(state, id, busyReason(state, busy) + " Deployment " + id + " was not started; "
                    + "request it again when that has ended" + (busy.phase() == Phase.SWITCHING ? "."
                            : ", or cancel it."));
        }
        Colour target = state.idle();
        Operation deployment = Operation.deployment(id, target, ref, request.commit(), request.requestedBy(), at);
        AppState accepted = state.remembering(id)
                .with(target, new ColourRecord(ColourStatus.TOUCHED, ref, request.commit(), id))
                .withCurrent(deployment)
                .withBake(null);
        return new Step(accepted, Decision.ACCEPTED);
    }

    private static Step rollback(AppState state, String id, RollbackRequested request, Instant at) {
        if (state.remembers(id)) {
            return Step.ignored(state, "Rollback " + id + " was decided already; this is a repeated request.");
        }
        String reverts = request.revertsDeployment();
        if (reverts != null && (state.bake() == null || !state.bake().deploymentId().equals(reverts))) {
            return Step.refused(state, id, "The rollback asks to undo deployment " + reverts + ", but that is no "
                    + "longer what went live last: another deployment or rollback came after it.");
        }
        Operation busy = state.current();
        if (busy != null) {
            return Step.refused(state, id, busyReason(state, busy) + " Nothing was rolled back.");
        }
        Colour target = state.idle();
        if (state.colour(target).status() != ColourStatus.WARM) {
            return Step.refused(state, id, "There is nothing to roll back to: " + target + " has not served since "
                    + "it was last deployed to" + (state.colour(target).deploymentId() == null ? ""
                            : " (deployment " + state.colour(target).deploymentId() + ")")
                    + ", so it may hold half-provisioned, failed or never approved code. " + state.live()
                    + " keeps the traffic.");
        }
        AppState accepted = state.remembering(id)
                .withCurrent(Operation.rollback(id, target, request.requestedBy(), at))
                .withBake(null);
        return new Step(accepted, Decision.ACCEPTED);
    }

    private static Step promote(AppState state, String id, Instant at) {
        Operation current = state.current();
        if (current != null && current.id().equals(id) && current.phase() == Phase.AWAITING_APPROVAL) {
            return new Step(state.withCurrent(current.promotedAt(at)), Decision.ACCEPTED);
        }
        if (current != null && current.id().equals(id) && current.promoted()) {
            return Step.ignored(state, "Deployment " + id + " was promoted already.");
        }
        if (state.last() != null && state.last().id().equals(id) && state.last().result() == Result.SUCCEEDED) {
            return Step.ignored(state, "Deployment " + id + " was promoted and switched already.");
        }
        return new Step(state, Decision.refused("Nothing waits for promotion in deployment " + id + " of "
                + state.app() + (current == null ? ": nothing is under way."
                        : ": " + current.describe() + " is " + current.phase() + ".")
                + " Nothing changed."));
    }

    private static Step cancel(AppState state, String id, CancelRequested request, Instant at) {
        Operation current = state.current();
        if (current == null || !current.id().equals(id)) {
            if (state.last() != null && state.last().id().equals(id)) {
                return new Step(state, Decision.refused("Deployment " + id + " of " + state.app() + " has ended "
                        + "already (" + state.last().result().name().toLowerCase(java.util.Locale.ROOT)
                        + "); there is nothing to cancel."));
            }
            return new Step(state, Decision.refused("Deployment " + id + " is not under way for " + state.app()
                    + (current == null ? "" : "; " + current.describe() + " is") + "; nothing was cancelled."));
        }
        if (current.phase() == Phase.SWITCHING) {
            return new Step(state, Decision.refused("Traffic of " + state.app() + " is moving to "
                    + current.target() + " for " + current.describe() + "; a move cannot be cancelled halfway. It "
                    + "ends by itself, switched or restored; roll back after it if need be."));
        }
        String reason = "Cancelled by " + request.requestedBy() + " while " + current.phase()
                + (request.reason() == null || request.reason().isBlank() ? "." : ": " + request.reason());
        return new Step(state.ended(new Outcome(id, current.kind(), Result.CANCELLED, reason, at)),
                Decision.ACCEPTED);
    }

    private static Step started(AppState state, String id) {
        Operation current = state.current();
        if (current == null || !current.id().equals(id) || current.phase() != Phase.PROVISIONING || current.started()) {
            return Step.ignored(state, "Deployment " + id + " is not waiting to start.");
        }
        return new Step(state.withCurrent(current.startedRunning()), Decision.APPLIED);
    }

    private static Step provisioned(AppState state, String id, EnvironmentProvisioned provisioned, Instant at) {
        Operation current = state.current();
        if (!isCurrent(state, id, Phase.PROVISIONING) || current == null) {
            return stale(state, id, "EnvironmentProvisioned");
        }
        ColourRecord colour = new ColourRecord(ColourStatus.TOUCHED, current.ref(), provisioned.commit(), id);
        return new Step(state.with(current.target(), colour).withCurrent(current.provisioned(provisioned.commit(), at)),
                Decision.APPLIED);
    }

    private static Step healthy(AppState state, String id, Instant at) {
        if (!isCurrent(state, id, Phase.CHECKING)) {
            return stale(state, id, "EnvironmentHealthy");
        }
        return new Step(state.withCurrent(state.current().in(Phase.SWITCHING, at)), Decision.APPLIED);
    }

    private static Step awaiting(AppState state, String id, Instant at) {
        Operation current = state.current();
        if (!isCurrent(state, id, Phase.SWITCHING) || current == null || current.kind() != Kind.DEPLOYMENT
                || current.promoted()) {
            return stale(state, id, "AwaitingPromotion");
        }
        return new Step(state.withCurrent(current.in(Phase.AWAITING_APPROVAL, at)), Decision.APPLIED);
    }

    private static Step switched(AppState state, String id, Instant at) {
        Operation current = state.current();
        if (!isCurrent(state, id, Phase.SWITCHING) || current == null || current.kind() != Kind.DEPLOYMENT) {
            return stale(state, id, "TrafficSwitched");
        }
        AppState moved = moveTraffic(state, current.target())
                .ended(new Outcome(id, Kind.DEPLOYMENT, Result.SUCCEEDED, null, at))
                .withBake(new Bake(id, current.target(), at));
        return new Step(moved, Decision.APPLIED);
    }

    private static Step rolledBack(AppState state, String id, Instant at) {
        Operation current = state.current();
        if (!isCurrent(state, id, Phase.SWITCHING) || current == null || current.kind() != Kind.ROLLBACK) {
            return stale(state, id, "RolledBack");
        }
        AppState moved = moveTraffic(state, current.target())
                .ended(new Outcome(id, Kind.ROLLBACK, Result.SUCCEEDED, null, at));
        return new Step(moved, Decision.APPLIED);
    }

    /** The colour that served until now stays warm: it is what a rollback moves back to. */
    private static AppState moveTraffic(AppState state, Colour to) {
        if (state.live() == to) {
            return state.with(to, state.colour(to).with(ColourStatus.LIVE));
        }
        Colour from = state.live();
        ColourRecord wasLive = state.colour(from);
        return state.with(from, wasLive.with(wasLive.status() == ColourStatus.LIVE ? ColourStatus.WARM
                : ColourStatus.TOUCHED))
                .with(to, state.colour(to).with(ColourStatus.LIVE))
                .withLive(to);
    }

    private static Step end(AppState state, String id, Phase phase, Result result, String reason, Instant at) {
        Operation current = state.current();
        if (!isCurrent(state, id, phase) || current == null) {
            return Step.ignored(state, "The outcome of " + id + " in phase " + phase + " came late or twice; "
                    + "nothing changed.");
        }
        return new Step(state.ended(new Outcome(id, current.kind(), result, reason, at)), Decision.APPLIED);
    }

    private static Step drift(AppState state, DriftDetected drift, String id, Instant at) {
        Colour idle = state.idle();
        if (drift.servingColours().size() == 2) {
            // a move that could not take a colour out again: both serve, so neither may be deployed to until the
            // traffic-router has settled the balancer and says so
            if (state.colour(idle).status() == ColourStatus.LIVE) {
                return Step.ignored(state, "Both colours serve, as the history says already.");
            }
            AppState both = state.with(idle, state.colour(idle).with(ColourStatus.LIVE)).withBake(null);
            Operation current = state.current();
            if (current != null && current.phase() != Phase.SWITCHING && current.target() == idle) {
                both = both.ended(new Outcome(current.id(), current.kind(), Result.FAILED, "The load balancer sends "
                        + state.app() + "'s traffic to both colours, " + idle + " included, which "
                        + current.describe() + " was deploying to (" + drift.detail() + "). It was stopped so that "
                        + "no deploy step runs on a colour that serves.", at));
            }
            return new Step(both, Decision.APPLIED);
        }
        if (drift.servingColours().isEmpty()) {
            return Step.ignored(state, "The balancer serves neither colour; the history's live colour stands until "
                    + "the router settles it.");
        }
        Colour serving = drift.servingColours().get(0);
        if (serving == state.live()) {
            if (state.colour(idle).status() == ColourStatus.LIVE) {
                // the balancer was settled: the other colour no longer serves, and what it holds is untested
                return new Step(state.with(idle, state.colour(idle).with(ColourStatus.TOUCHED)), Decision.APPLIED);
            }
            return Step.ignored(state, "The balancer serves " + serving + ", as the history says.");
        }
        // someone moved traffic by hand: believe the balancer, and vouch for neither colour's code
        AppState believed = state.with(state.live(), state.colour(state.live()).with(ColourStatus.TOUCHED))
                .with(serving, state.colour(serving).with(ColourStatus.LIVE))
                .withLive(serving)
                .withBake(null);
        Operation current = state.current();
        if (current != null && current.phase() != Phase.SWITCHING && current.target() == serving) {
            // the colour being deployed to takes traffic now: its deployment must stop before its next step
            believed = believed.ended(new Outcome(current.id(), current.kind(), Result.FAILED, "The load balancer "
                    + "sends " + state.app() + "'s traffic to " + serving + ", the colour " + current.describe()
                    + " was deploying to (" + drift.detail() + "). It was stopped so that no deploy step runs on a "
                    + "colour that serves.", at));
        }
        return new Step(believed, Decision.APPLIED);
    }

    private static boolean isCurrent(AppState state, String id, Phase phase) {
        Operation current = state.current();
        return current != null && current.id().equals(id) && current.phase() == phase;
    }

    private static Step stale(AppState state, String id, String type) {
        return Step.ignored(state, type + " of " + id + " does not fit where " + state.app() + " stands ("
                + (state.current() == null ? "nothing under way" : state.current().describe() + " is "
                        + state.current().phase()) + "); nothing changed.");
    }

    private static String busyReason(AppState state, Operation busy) {
        String who = (busy.kind() == Kind.ROLLBACK ? "Rollback " : "Deployment ") + busy.id() + " of " + state.app();
        return switch (busy.phase()) {
            case PROVISIONING -> who + " is provisioning " + busy.target() + ".";
            case CHECKING -> who + " is having " + busy.target() + " health-checked before traffic may move to it.";
            case AWAITING_APPROVAL -> who + " waits for approval to move traffic to " + busy.target() + ".";
            case SWITCHING -> who + " is moving traffic to " + busy.target() + ".";
        };
    }
}
