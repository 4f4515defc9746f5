package dev.bluegreen.lifecycle;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

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
import dev.bluegreen.events.PipelineEvent;
import dev.bluegreen.events.PromoteRequested;
import dev.bluegreen.events.ProvisioningFailed;
import dev.bluegreen.events.RequestRefused;
import dev.bluegreen.events.RollbackRequested;
import dev.bluegreen.events.RolledBack;
import dev.bluegreen.events.SwitchFailed;
import dev.bluegreen.events.TrafficSwitched;

/** Events of the app "shop" as its services publish them, one second apart, and a state folded from them. */
final class History {

    static final String APP = "shop";

    private Instant clock = Instant.parse("2026-12-01T09:00:00Z");
    private AppState state = AppState.initial(APP, Colour.BLUE);

    AppState state() {
        return state;
    }

    History then(String deploymentId, PipelineEvent event) {
        state = state.apply(envelope(deploymentId, event)).after();
        return this;
    }

    Transition apply(String deploymentId, PipelineEvent event) {
        return state.apply(envelope(deploymentId, event));
    }

    Envelope envelope(String deploymentId, PipelineEvent event) {
        clock = clock.plus(Duration.ofSeconds(1));
        return Envelope.of("test", deploymentId, event, clock);
    }

    /** Deploys {@code ref} all the way to traffic in deployment {@code id}. */
    History deployedLive(String id, String ref) {
        Colour to = state.idle();
        return then(id, deploy(ref)).then(id, started(to)).then(id, provisioned(to, ref))
                .then(id, healthy(to, ref)).then(id, switched(to.other(), to));
    }

    static DeployRequested deploy(String ref) {
        return new DeployRequested(APP, ref, null, "alice");
    }

    static RollbackRequested rollback() {
        return new RollbackRequested(APP, "alice", "the checkout page is slow");
    }

    static RollbackRequested automaticRollback(String reverts) {
        return new RollbackRequested(APP, "health-monitor", "green-1 failed 3 probes", reverts);
    }

    static PromoteRequested promote() {
        return new PromoteRequested(APP, "alice");
    }

    static CancelRequested cancel() {
        return new CancelRequested(APP, "ci-shop", "acceptance tests failed");
    }

    static DeploymentStarted started(Colour colour) {
        return new DeploymentStarted(APP, colour, "v2", List.of(1L, 2L));
    }

    static EnvironmentProvisioned provisioned(Colour colour, String ref) {
        return new EnvironmentProvisioned(APP, colour, ref, "abc1234", List.of(1L, 2L), 900);
    }

    static ProvisioningFailed provisioningFailed(Colour colour) {
        return new ProvisioningFailed(APP, colour, "v2", "step install exited 1", 1L, "install", 1, "");
    }

    static EnvironmentHealthy healthy(Colour colour, String ref) {
        return new EnvironmentHealthy(APP, colour, ref, "abc1234", List.of(), 400);
    }

    static EnvironmentUnhealthy unhealthy(Colour colour) {
        return new EnvironmentUnhealthy(APP, colour, "v2", "/healthz answered 503", List.of(), 400);
    }

    static AwaitingPromotion awaiting(Colour from, Colour to) {
        return new AwaitingPromotion(APP, from, to);
    }

    static TrafficSwitched switched(Colour from, Colour to) {
        return new TrafficSwitched(APP, from, to, List.of(1L, 2L), 1200);
    }

    static RolledBack rolledBack(Colour from, Colour to) {
        return new RolledBack(APP, from, to, List.of(3L, 4L), 1100);
    }

    static SwitchFailed switchFailed(Colour from, Colour to) {
        return new SwitchFailed(APP, from, to, "the balancer never served the new colour");
    }

    static DeploymentExpired expired(Phase phase) {
        return new DeploymentExpired(APP, phase, "ran out of time");
    }

    static RequestRefused refused() {
        return new RequestRefused(APP, "DeployRequested", "busy");
    }

    static DriftDetected bothServing(Colour recorded) {
        return new DriftDetected(APP, recorded, List.of(Colour.BLUE, Colour.GREEN), "could not take one out again");
    }

    static DriftDetected drift(Colour recorded, Colour serving) {
        return new DriftDetected(APP, recorded, List.of(serving), "moved by hand");
    }
}
