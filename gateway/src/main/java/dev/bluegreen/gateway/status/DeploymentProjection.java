package dev.bluegreen.gateway.status;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Mono;

import dev.bluegreen.apps.AppCatalog;
import dev.bluegreen.events.AwaitingPromotion;
import dev.bluegreen.events.Colour;
import dev.bluegreen.events.DeployRequested;
import dev.bluegreen.events.DeploymentLog;
import dev.bluegreen.events.DeploymentStarted;
import dev.bluegreen.events.EnvironmentHealthy;
import dev.bluegreen.events.EnvironmentProvisioned;
import dev.bluegreen.events.EnvironmentUnhealthy;
import dev.bluegreen.events.Envelope;
import dev.bluegreen.events.PipelineEvent;
import dev.bluegreen.events.PromoteRequested;
import dev.bluegreen.events.ProvisioningFailed;
import dev.bluegreen.events.RollbackRequested;
import dev.bluegreen.events.RolledBack;
import dev.bluegreen.events.SwitchFailed;
import dev.bluegreen.events.TrafficSwitched;

/**
 * The state of deployments and apps, built from the pipeline's events as the gateway reads every topic from the
 * beginning. Topics are read side by side, so one deployment's events may arrive out of order: an ended deployment
 * stays ended, and steps are shown in time order. Holds the last {@code bluegreen.gateway.status.history}
 * deployments of each app.
 */
@Component
public class DeploymentProjection {

    private final AppCatalog catalog;
    private final int historyPerApp;
    private final Map<String, Tracked> deployments = new HashMap<>();
    private final Map<String, LinkedHashMap<String, Tracked>> byApp = new HashMap<>();
    private final Map<String, Live> live = new HashMap<>();
    private final CompletableFuture<Void> caughtUp = new CompletableFuture<>();

    DeploymentProjection(AppCatalog catalog, StatusProperties settings) {
        this.catalog = catalog;
        this.historyPerApp = settings.history();
    }

    /** Called once every event that was on the topics when the gateway started has been applied. */
    public void caughtUp() {
        caughtUp.complete(null);
    }

    public boolean isCaughtUp() {
        return caughtUp.isDone();
    }

    /**
     * Completes once the projection has read the pipeline's history, so that what it does not know did not happen;
     * fails with {@code 503} after {@code timeout}.
     */
    public Mono<Void> whenCaughtUp(Duration timeout) {
        return Mono.fromFuture(caughtUp.copy()).timeout(timeout)
                .onErrorMap(TimeoutException.class, e -> new ResponseStatusException(HttpStatus.SERVICE_UNAVAILABLE,
                        "The gateway is still reading the pipeline's history from Kafka; try again shortly"));
    }

    public synchronized void apply(Envelope envelope) {
        if (catalog.find(envelope.subject()).isEmpty()) {
            return; // not an app of this gateway: nothing to show, and no unbounded growth from stray subjects
        }
        Tracked tracked = track(envelope);
        tracked.apply(envelope);
        Live appLive = live.computeIfAbsent(envelope.subject(), app -> new Live());
        if (envelope.data() instanceof EnvironmentProvisioned provisioned) {
            appLive.refs.put(provisioned.colour(), provisioned.ref());
        } else if (envelope.data() instanceof TrafficSwitched switched) {
            appLive.moved(switched.to(), envelope.time());
        } else if (envelope.data() instanceof RolledBack rolledBack) {
            appLive.moved(rolledBack.to(), envelope.time());
        }
    }

    public synchronized Optional<DeploymentView> deployment(String deploymentId) {
        return Optional.ofNullable(deployments.get(deploymentId)).map(Tracked::view);
    }

    /** The app's newest deployments first, at most {@code limit}. */
    public synchronized List<DeploymentView> history(String app, int limit) {
        return newestFirst(app).limit(limit).toList();
    }

    synchronized AppStatus status(String app) {
        Colour initial = catalog.require(app).initialLiveColour();
        Live appLive = live.getOrDefault(app, new Live());
        Colour liveColour = appLive.colour != null ? appLive.colour : initial;
        DeploymentView current = newestFirst(app).filter(view -> !ended(view)).findFirst().orElse(null);
        DeploymentView last = newestFirst(app).filter(DeploymentProjection::ended).findFirst().orElse(null);
        return new AppStatus(app, liveColour, appLive.since, appLive.refs.get(liveColour), current, last);
    }

    private java.util.stream.Stream<DeploymentView> newestFirst(String app) {
        return byApp.getOrDefault(app, new LinkedHashMap<>()).values().stream().map(Tracked::view)
                .sorted(Comparator.comparing(DeploymentView::requestedAt).reversed());
    }

    private static boolean ended(DeploymentView view) {
        return view.outcome().equals(DeploymentView.SUCCEEDED) || view.outcome().equals(DeploymentView.FAILED);
    }

    private Tracked track(Envelope envelope) {
        Tracked known = deployments.get(envelope.deploymentId());
        if (known != null) {
            return known;
        }
        Tracked tracked = new Tracked(envelope.deploymentId(), envelope.subject());
        deployments.put(tracked.id, tracked);
        LinkedHashMap<String, Tracked> history = byApp.computeIfAbsent(envelope.subject(), app -> new LinkedHashMap<>());
        history.put(tracked.id, tracked);
        if (history.size() > historyPerApp) {
            String oldest = history.keySet().iterator().next();
            history.remove(oldest);
            deployments.remove(oldest);
        }
        return tracked;
    }

    private static final class Live {
        private final Map<Colour, String> refs = new EnumMap<>(Colour.class);
        private @Nullable Colour colour;
        private @Nullable Instant since;

        void moved(Colour to, Instant time) {
            if (since == null || !time.isBefore(since)) {
                colour = to;
                since = time;
            }
        }
    }

    /** One deployment's events so far. Not thread-safe: the projection guards it. */
    private static final class Tracked {
        private final String id;
        private final String app;
        private final List<DeploymentView.Step> steps = new ArrayList<>();
        private String kind = "deployment";
        private @Nullable String ref;
        private @Nullable String commit;
        private @Nullable String requestedBy;
        private @Nullable Instant requestedAt;
        private @Nullable Colour colour;
        private String outcome = DeploymentView.RUNNING;
        private @Nullable Instant outcomeAt;
        private @Nullable String reason;
        private @Nullable Instant finishedAt;
        private long logBatches;
        private String lastEventId = "";
        private @Nullable Instant lastEventAt;

        Tracked(String id, String app) {
            this.id = id;
            this.app = app;
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
                step(envelope, "ok", e.requestedBy() + " asked to deploy " + e.ref());
            } else if (data instanceof RollbackRequested e) {
                kind = "rollback";
                requestedBy = e.requestedBy();
                step(envelope, "ok", e.requestedBy() + " asked to roll back: " + e.reason());
            } else if (data instanceof DeploymentStarted e) {
                colour = e.colour();
                ref = ref == null ? e.ref() : ref;
                step(envelope, "ok", "provisioning " + e.colour() + " droplets " + e.dropletIds());
            } else if (data instanceof EnvironmentProvisioned e) {
                colour = e.colour();
                commit = e.commit();
                step(envelope, "ok", e.colour() + " provisioned with " + e.ref() + " at " + e.commit() + " in "
                        + seconds(e.durationMs()));
            } else if (data instanceof ProvisioningFailed e) {
                fail(envelope, e.reason());
            } else if (data instanceof EnvironmentHealthy e) {
                step(envelope, "ok", e.colour() + " passed its health checks in " + seconds(e.durationMs()));
            } else if (data instanceof EnvironmentUnhealthy e) {
                fail(envelope, e.reason());
            } else if (data instanceof AwaitingPromotion e) {
                step(envelope, "waiting", e.to() + " is healthy and waits for promotion");
                progress(DeploymentView.AWAITING_PROMOTION, envelope.time());
            } else if (data instanceof PromoteRequested e) {
                step(envelope, "ok", e.requestedBy() + " promoted it");
                progress(DeploymentView.RUNNING, envelope.time());
            } else if (data instanceof TrafficSwitched e) {
                end(envelope, DeploymentView.SUCCEEDED, null, "traffic moved from " + e.from() + " to " + e.to());
            } else if (data instanceof SwitchFailed e) {
                fail(envelope, e.reason());
            } else if (data instanceof RolledBack e) {
                end(envelope, DeploymentView.SUCCEEDED, null,
                        "traffic moved back from " + e.from() + " to " + e.to());
            }
        }

        private void step(Envelope envelope, String stepOutcome, String summary) {
            steps.add(new DeploymentView.Step(envelope.type(), envelope.time(), envelope.source(), stepOutcome,
                    summary, envelope.id()));
        }

        private void fail(Envelope envelope, String why) {
            end(envelope, DeploymentView.FAILED, why, why);
        }

        private void end(Envelope envelope, String finalOutcome, @Nullable String why, String summary) {
            step(envelope, finalOutcome.equals(DeploymentView.FAILED) ? "failed" : "ok", summary);
            outcome = finalOutcome;
            reason = why;
            finishedAt = envelope.time();
            outcomeAt = envelope.time();
        }

        /** An ended deployment stays ended, whatever late event of it is read afterwards. */
        private void progress(String next, Instant time) {
            if (finishedAt == null && (outcomeAt == null || !time.isBefore(outcomeAt))) {
                outcome = next;
                outcomeAt = time;
            }
        }

        DeploymentView view() {
            Instant start = requestedAt == null ? Instant.EPOCH : requestedAt;
            Long duration = finishedAt == null ? null : Duration.between(start, finishedAt).toMillis();
            List<DeploymentView.Step> ordered = steps.stream()
                    .sorted(Comparator.comparing(DeploymentView.Step::time)).toList();
            return new DeploymentView(id, app, kind, ref, commit, requestedBy, start, outcome, reason, colour,
                    finishedAt, duration, ordered, logBatches, lastEventId);
        }

        private static String seconds(long millis) {
            return String.format(java.util.Locale.ROOT, "%.1f s", millis / 1000.0);
        }
    }
}
