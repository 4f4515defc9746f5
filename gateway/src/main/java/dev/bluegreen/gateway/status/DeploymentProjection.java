package dev.bluegreen.gateway.status;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

import dev.bluegreen.apps.AppCatalog;
import dev.bluegreen.events.DeployRequested;
import dev.bluegreen.events.Envelope;
import dev.bluegreen.events.RollbackRequested;
import dev.bluegreen.lifecycle.AppState;
import dev.bluegreen.lifecycle.Outcome;

/**
 * What the gateway shows of apps and deployments. Each app's state is the shared state machine's, as the lifecycle
 * engine wrote it to the app-states topic ({@link AppStatesReader}); each deployment's history is built from the
 * events of its id on the lifecycle topic, read from the beginning ({@link DeploymentHistory}). Holds the last
 * {@code bluegreen.gateway.status.history} deployments of each app.
 */
@Component
public class DeploymentProjection {

    private final AppCatalog catalog;
    private final Clock clock;
    private final int historyPerApp;
    private final Map<String, DeploymentHistory> deployments = new HashMap<>();
    private final Map<String, LinkedHashMap<String, DeploymentHistory>> byApp = new HashMap<>();
    private final Map<String, AppState> states = new HashMap<>();
    private final CompletableFuture<Void> historyRead = new CompletableFuture<>();
    private final CompletableFuture<Void> statesRead = new CompletableFuture<>();
    private final PushedCommits pushedCommits = new PushedCommits();

    DeploymentProjection(AppCatalog catalog, StatusProperties settings, Clock clock) {
        this.catalog = catalog;
        this.clock = clock;
        this.historyPerApp = settings.history();
    }

    /** Called once every event that was on the lifecycle topic when the gateway started has been applied. */
    public void historyRead() {
        historyRead.complete(null);
    }

    public boolean isHistoryRead() {
        return historyRead.isDone();
    }

    /** Called once every app's state that was on the app-states topic when the gateway started has been read. */
    void statesRead() {
        statesRead.complete(null);
    }

    boolean areStatesRead() {
        return statesRead.isDone();
    }

    /** Whether both the history and the apps' states are read, so that what the gateway does not know did not happen. */
    public boolean isCaughtUp() {
        return isHistoryRead() && areStatesRead();
    }

    /**
     * Completes once {@link #isCaughtUp()}; fails with {@link HistoryNotReadException} ({@code 503} with
     * {@code Retry-After}) after {@code timeout}.
     */
    public Mono<Void> whenCaughtUp(Duration timeout) {
        return Mono.fromFuture(CompletableFuture.allOf(historyRead, statesRead)).timeout(timeout)
                .onErrorMap(TimeoutException.class, e -> new HistoryNotReadException());
    }

    /**
     * Completes once {@link #isHistoryRead()}, so that what the gateway holds of the recent events is whole; fails
     * with {@link HistoryNotReadException} after {@code timeout}.
     */
    public Mono<Void> whenHistoryRead(Duration timeout) {
        // suppressCancel: a wait that times out, or a client that leaves, must not cancel the shared future, which
        // would then count as done and the history as read while it is not
        return Mono.fromFuture(historyRead, true).timeout(timeout)
                .onErrorMap(TimeoutException.class, e -> new HistoryNotReadException());
    }

    public synchronized void apply(Envelope envelope) {
        if (catalog.find(envelope.subject()).isEmpty()) {
            return; // not an app of this gateway: nothing to show, and no unbounded growth from stray subjects
        }
        track(envelope).apply(envelope);
        if (envelope.data() instanceof DeployRequested request && request.commit() != null) {
            pushedCommits.learned(request.app(), request.ref(), request.commit());
        }
        if (envelope.data() instanceof RollbackRequested request && request.revertsDeployment() != null) {
            // only the bake watch names the deployment it undoes: that deployment's bake failed
            DeploymentHistory reverted = deployments.get(request.revertsDeployment());
            if (reverted != null && reverted.app().equals(envelope.subject())) {
                reverted.rolledBackAutomatically(envelope, request);
            }
        }
    }

    /** The commits pushed to each deployed ref, as far as the history and this instance know. */
    public PushedCommits pushedCommits() {
        return pushedCommits;
    }

    /** The app's state as the lifecycle engine last wrote it. */
    synchronized void state(AppState state) {
        if (catalog.find(state.app()).isEmpty()) {
            return;
        }
        states.put(state.app(), state);
        Outcome last = state.last();
        DeploymentHistory ended = last == null ? null : deployments.get(last.id());
        if (ended != null) {
            // kept: the state may move on to other deployments before this one is shown again
            ended.settled(last);
        }
    }

    /** The app-states topic dropped the app. */
    synchronized void forget(String app) {
        states.remove(app);
    }

    /** The app's state as the state machine folded it; before any is recorded, the apps file's initial state. */
    public synchronized AppState appState(String app) {
        AppState state = states.get(app);
        return state != null ? state : AppState.initial(app, catalog.require(app).initialLiveColour());
    }

    public synchronized Optional<DeploymentView> deployment(String deploymentId) {
        return Optional.ofNullable(deployments.get(deploymentId)).map(this::view);
    }

    /** The app's newest deployments first, at most {@code limit}. */
    public synchronized List<DeploymentView> history(String app, int limit) {
        return newestFirst(app).limit(limit).toList();
    }

    synchronized AppStatus status(String app) {
        return AppStatus.of(appState(app), catalog.require(app), clock.instant());
    }

    private DeploymentView view(DeploymentHistory deployment) {
        Duration bakePeriod = catalog.require(deployment.app()).health().bake().period();
        return deployment.view(states.get(deployment.app()), bakePeriod, clock.instant(), nextAfterSwitch(deployment));
    }

    /** The app's first deployment or rollback asked for after this one's switch and not refused: it ends the bake. */
    private @Nullable DeploymentHistory nextAfterSwitch(DeploymentHistory deployment) {
        Instant switched = deployment.switchedAt();
        if (switched == null) {
            return null;
        }
        return byApp.getOrDefault(deployment.app(), new LinkedHashMap<>()).values().stream()
                .filter(other -> other != deployment && !other.refusedRequest() && other.requestedAt() != null
                        && other.requestedAt().isAfter(switched))
                .min(Comparator.comparing(DeploymentHistory::requestedAt))
                .orElse(null);
    }

    private Stream<DeploymentView> newestFirst(String app) {
        return byApp.getOrDefault(app, new LinkedHashMap<>()).values().stream().map(this::view)
                .sorted(Comparator.comparing(DeploymentView::requestedAt).reversed());
    }

    private DeploymentHistory track(Envelope envelope) {
        DeploymentHistory known = deployments.get(envelope.deploymentId());
        if (known != null) {
            return known;
        }
        DeploymentHistory tracked = new DeploymentHistory(envelope.deploymentId(), envelope.subject());
        deployments.put(tracked.id(), tracked);
        LinkedHashMap<String, DeploymentHistory> history = byApp.computeIfAbsent(envelope.subject(),
                app -> new LinkedHashMap<>());
        history.put(tracked.id(), tracked);
        if (history.size() > historyPerApp) {
            String oldest = history.keySet().iterator().next();
            history.remove(oldest);
            deployments.remove(oldest);
        }
        return tracked;
    }
}
