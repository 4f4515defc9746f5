package dev.bluegreen.gateway.status;

import static dev.bluegreen.gateway.status.DeploymentView.who;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

import dev.bluegreen.events.AwaitingPromotion;
import dev.bluegreen.events.CancelRequested;
import dev.bluegreen.events.Colour;
import dev.bluegreen.events.DeployRequested;
import dev.bluegreen.events.DeploymentExpired;
import dev.bluegreen.events.DeploymentLog;
import dev.bluegreen.events.DeploymentStarted;
import dev.bluegreen.events.DriftDetected;
import dev.bluegreen.events.EnvironmentHealthy;
import dev.bluegreen.events.EnvironmentProvisioned;
import dev.bluegreen.events.EnvironmentUnhealthy;
import dev.bluegreen.events.Envelope;
import dev.bluegreen.events.EventType;
import dev.bluegreen.events.Phase;
import dev.bluegreen.events.PipelineEvent;
import dev.bluegreen.events.PreviewDroplet;
import dev.bluegreen.events.PromoteRequested;
import dev.bluegreen.events.ProvisioningFailed;
import dev.bluegreen.events.RequestRefused;
import dev.bluegreen.events.RollbackRequested;
import dev.bluegreen.events.RolledBack;
import dev.bluegreen.events.SwitchFailed;
import dev.bluegreen.events.TrafficSwitched;
import dev.bluegreen.lifecycle.AppState;
import dev.bluegreen.lifecycle.Bake;
import dev.bluegreen.lifecycle.Operation;
import dev.bluegreen.lifecycle.Outcome;

/**
 * One deployment's (or rollback's) events so far, each a step with its time, and how it ended. How it ended is the
 * state machine's word whenever the app's state has one (the deployment is under way, or ended last, or ended while
 * the gateway watched the states go by); otherwise, for deployments the app has long moved past, it is read from the
 * deployment's own events: a switch or a failure, an expiry, a refusal of its request, a cancel nobody refused. Not
 * thread-safe: the {@link DeploymentProjection} guards it.
 */
final class DeploymentHistory {

    private final String id;
    private final String app;
    private final List<DeploymentView.Step> steps = new ArrayList<>();
    private String kind = "deployment";
    private @Nullable String ref;
    private @Nullable String commit;
    private @Nullable String requestedBy;
    private @Nullable String actor;
    private @Nullable Instant requestedAt;
    private @Nullable Colour colour;
    private String progress = DeploymentView.RUNNING;
    private @Nullable Instant progressAt;
    private @Nullable Ending switchedOrFailed;
    private @Nullable Ending expired;
    private @Nullable Ending refused;
    private @Nullable Ending cancelled;
    private boolean cancelRefused;
    private @Nullable Ending settled;
    private @Nullable List<PreviewDroplet> preview;
    private @Nullable Instant switchedAt;
    private @Nullable AutomaticRollback automaticRollback;
    private long logBatches;
    private String lastEventId = "";
    private @Nullable Instant lastEventAt;

    DeploymentHistory(String id, String app) {
        this.id = id;
        this.app = app;
    }

    String id() {
        return id;
    }

    String app() {
        return app;
    }

    void apply(Envelope envelope) {
        Instant time = envelope.time();
        if (requestedAt == null || time.isBefore(requestedAt)) {
            requestedAt = time;
        }
        if (lastEventAt == null || !time.isBefore(lastEventAt)) {
            lastEventAt = time;
            lastEventId = envelope.id();
        }
        PipelineEvent data = envelope.data();
        if (data instanceof DeploymentLog) {
            logBatches++;
        } else if (data instanceof DeployRequested e) {
            ref = e.ref();
            commit = commit == null ? e.commit() : commit;
            requestedBy = e.requestedBy();
            actor = e.actor();
            step(envelope, "ok", who(e.requestedBy(), e.actor()) + " asked to deploy " + e.ref());
        } else if (data instanceof RollbackRequested e) {
            kind = "rollback";
            requestedBy = e.requestedBy();
            actor = e.actor();
            step(envelope, "ok", who(e.requestedBy(), e.actor()) + " asked to roll back"
                    + (e.revertsDeployment() == null ? "" : " deployment " + e.revertsDeployment()) + ": "
                    + e.reason());
        } else if (data instanceof DeploymentStarted e) {
            colour = e.colour();
            ref = ref == null ? e.ref() : ref;
            step(envelope, "ok", "provisioning " + e.colour() + " droplets " + e.dropletIds());
        } else if (data instanceof EnvironmentProvisioned e) {
            colour = e.colour();
            commit = e.commit();
            step(envelope, "ok", e.colour() + " provisioned with " + e.ref() + " at " + e.commit() + " in "
                    + seconds(e.durationMs()));
        } else if (data instanceof EnvironmentHealthy e) {
            step(envelope, "ok", e.colour() + " passed its health checks in " + seconds(e.durationMs()));
        } else if (data instanceof AwaitingPromotion e) {
            preview = e.preview() == null ? preview : e.preview();
            step(envelope, "waiting", e.to() + " is healthy and waits for promotion" + (e.preview() == null ? ""
                    : "; preview: " + e.preview().stream().map(PreviewDroplet::url).collect(Collectors.joining(" "))));
            progress(DeploymentView.AWAITING_PROMOTION, time);
        } else if (data instanceof PromoteRequested e) {
            step(envelope, "ok", who(e.requestedBy(), e.actor()) + " promoted it");
            progress(DeploymentView.RUNNING, time);
        } else if (data instanceof TrafficSwitched e) {
            switchedAt = switchedAt == null ? time : switchedAt;
            switched(envelope, "traffic moved from " + e.from() + " to " + e.to());
        } else if (data instanceof RolledBack e) {
            colour = e.to();
            switched(envelope, "traffic moved back from " + e.from() + " to " + e.to());
        } else if (data instanceof ProvisioningFailed e) {
            failed(envelope, e.reason());
        } else if (data instanceof EnvironmentUnhealthy e) {
            failed(envelope, e.reason());
        } else if (data instanceof SwitchFailed e) {
            failed(envelope, e.reason());
        } else if (data instanceof DeploymentExpired e) {
            step(envelope, "failed", "expired while " + e.phase() + ": " + e.reason());
            expired = first(expired, new Ending(DeploymentView.EXPIRED, e.reason(), time));
        } else if (data instanceof CancelRequested e) {
            String why = e.reason() == null || e.reason().isBlank() ? "" : ": " + e.reason();
            step(envelope, "ok", who(e.requestedBy(), e.actor()) + " asked to cancel it" + why);
            cancelled = first(cancelled, new Ending(DeploymentView.CANCELLED, "Cancelled by " + who(e.requestedBy(), e.actor()) + why,
                    time));
        } else if (data instanceof RequestRefused e) {
            refused(envelope, e);
        } else if (data instanceof DriftDetected e) {
            step(envelope, "ok", "the balancer serves " + e.servingColours() + ", not " + e.recordedLive()
                    + " as recorded: " + e.detail());
        }
    }

    /**
     * The health-monitor asked, in a rollback of its own, to undo this deployment's switch: its bake failed.
     *
     * @param rollback the rollback's request, whose envelope carries the rollback's own id
     */
    void rolledBackAutomatically(Envelope rollback, RollbackRequested request) {
        if (automaticRollback == null) {
            automaticRollback = new AutomaticRollback(rollback.deploymentId(), request.reason(), rollback.time());
        }
    }

    /** When it was asked for: the time of its earliest event read. */
    @Nullable Instant requestedAt() {
        return requestedAt;
    }

    /** Whether its own request (deploy or rollback) was refused, so that it changed nothing. */
    boolean refusedRequest() {
        return refused != null;
    }

    /** How the state machine ended it, read from the app's state while it was the app's last outcome. */
    void settled(Outcome outcome) {
        settled = ending(outcome);
    }

    /**
     * @param state the app's state as the state machine last folded it, or null before any is recorded
     * @param bakePeriod the app's {@code health.bake.period}
     * @param next the app's first deployment or rollback requested after this one switched that was not refused: it
     *     ended the bake, if it came within the period
     */
    DeploymentView view(@Nullable AppState state, Duration bakePeriod, Instant now, @Nullable DeploymentHistory next) {
        Ending outcome = outcome(state);
        Instant start = requestedAt == null ? Instant.EPOCH : requestedAt;
        Long duration = outcome.at() == null ? null : Duration.between(start, outcome.at()).toMillis();
        List<DeploymentView.Step> ordered = steps.stream()
                .sorted(Comparator.comparing(DeploymentView.Step::time)).toList();
        boolean waits = outcome.outcome().equals(DeploymentView.AWAITING_PROMOTION);
        return new DeploymentView(id, app, kind, ref, commit, requestedBy, actor, start, outcome.outcome(),
                outcome.reason(), colour, outcome.at(), duration, ordered, logBatches, lastEventId,
                waits ? preview : null, bake(state, bakePeriod, now, next));
    }

    /** When traffic moved to this deployment's colour; null unless it is a deployment that switched. */
    @Nullable Instant switchedAt() {
        return kind.equals("deployment") ? switchedAt : null;
    }

    /**
     * The bake watch after its switch, as the app's state and the events tell. The state holds the bake until the next
     * deployment or rollback is accepted, or drift, but not when its period is over: that is counted here.
     */
    private DeploymentView.@Nullable Bake bake(@Nullable AppState state, Duration period, Instant now,
            @Nullable DeploymentHistory next) {
        Instant switched = switchedAt();
        if (switched == null) {
            return null;
        }
        Bake held = state == null ? null : state.bake();
        boolean holds = held != null && held.deploymentId().equals(id);
        Instant since = holds ? held.since() : switched;
        Instant until = since.plus(period);
        if (automaticRollback != null) {
            return new DeploymentView.Bake(DeploymentView.Bake.FAILED, since, until, automaticRollback.at(),
                    automaticRollback.reason(), automaticRollback.rollbackId());
        }
        Instant nextAt = next == null ? null : next.requestedAt();
        if (nextAt != null && nextAt.isBefore(until)) {
            return new DeploymentView.Bake(DeploymentView.Bake.ENDED, since, until, nextAt,
                    (next.kind.equals("rollback") ? "rollback " : "deployment ") + next.id() + " came after it", null);
        }
        if (!now.isBefore(until)) {
            return new DeploymentView.Bake(DeploymentView.Bake.PASSED, since, until, null, null, null);
        }
        // the app's state may not show the switch yet; once it does and holds no bake of it, drift ended the watch
        Outcome last = state == null ? null : state.last();
        boolean showsSwitch = last != null && last.id().equals(id);
        if (holds || !showsSwitch) {
            return new DeploymentView.Bake(DeploymentView.Bake.WATCHING, since, until, null, null, null);
        }
        return new DeploymentView.Bake(DeploymentView.Bake.ENDED, since, until, null,
                "the load balancer did not serve as the history recorded (drift), which ends the watch", null);
    }

    private Ending outcome(@Nullable AppState state) {
        Operation current = state == null ? null : state.current();
        if (current != null && current.id().equals(id)) {
            // the state may lag the events read here by moments: a switch that waits is shown waiting at once
            boolean waits = current.phase() == Phase.AWAITING_APPROVAL
                    || current.phase() == Phase.SWITCHING && !current.promoted()
                            && progress.equals(DeploymentView.AWAITING_PROMOTION);
            return new Ending(waits ? DeploymentView.AWAITING_PROMOTION : DeploymentView.RUNNING, null, null);
        }
        Outcome last = state == null ? null : state.last();
        if (last != null && last.id().equals(id)) {
            return ending(last);
        }
        if (settled != null) {
            return settled;
        }
        if (switchedOrFailed != null) {
            return switchedOrFailed;
        }
        if (expired != null) {
            return expired;
        }
        if (refused != null) {
            return refused;
        }
        if (cancelled != null && !cancelRefused) {
            return cancelled;
        }
        return new Ending(progress, null, null);
    }

    private void refused(Envelope envelope, RequestRefused refusal) {
        boolean ownRequest = refusal.request().equals(EventType.DEPLOY_REQUESTED.wireName())
                || refusal.request().equals(EventType.ROLLBACK_REQUESTED.wireName());
        if (ownRequest) {
            step(envelope, "refused", "refused: " + refusal.reason());
            refused = first(refused, new Ending(DeploymentView.REFUSED, refusal.reason(), envelope.time()));
            return;
        }
        if (refusal.request().equals(EventType.CANCEL_REQUESTED.wireName())) {
            cancelRefused = true;
        }
        step(envelope, "refused", "the " + (refusal.request().equals(EventType.CANCEL_REQUESTED.wireName())
                ? "cancel" : refusal.request().equals(EventType.PROMOTE_REQUESTED.wireName()) ? "promotion"
                        : refusal.request()) + " was refused: " + refusal.reason());
    }

    private void switched(Envelope envelope, String summary) {
        step(envelope, "ok", summary);
        switchedOrFailed = first(switchedOrFailed, new Ending(DeploymentView.SUCCEEDED, null, envelope.time()));
    }

    private void failed(Envelope envelope, String why) {
        step(envelope, "failed", why);
        switchedOrFailed = first(switchedOrFailed, new Ending(DeploymentView.FAILED, why, envelope.time()));
    }

    /** A step that waits or goes on; one that comes after the deployment ended changes nothing. */
    private void progress(String next, Instant time) {
        if (progressAt == null || !time.isBefore(progressAt)) {
            progress = next;
            progressAt = time;
        }
    }

    private void step(Envelope envelope, String outcome, String summary) {
        steps.add(new DeploymentView.Step(envelope.type(), envelope.time(), envelope.source(), outcome, summary,
                envelope.id()));
    }

    /** An ended deployment stays ended the way it first ended, whatever late event of it is read afterwards. */
    private static Ending first(@Nullable Ending known, Ending next) {
        return known != null ? known : next;
    }

    private static Ending ending(Outcome outcome) {
        return new Ending(outcome.result().name().toLowerCase(Locale.ROOT), outcome.reason(), outcome.at());
    }

    private static String seconds(long millis) {
        return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
    }

    /** The health-monitor's request to undo this deployment, under the rollback's own id. */
    private record AutomaticRollback(String rollbackId, String reason, Instant at) {
    }

    /** An outcome, with why and when; {@code at} is null while the deployment goes on. */
    private record Ending(String outcome, @Nullable String reason, @Nullable Instant at) {
    }
}
