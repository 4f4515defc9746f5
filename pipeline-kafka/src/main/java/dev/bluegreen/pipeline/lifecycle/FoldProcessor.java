package dev.bluegreen.pipeline.lifecycle;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.Cancellable;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import dev.bluegreen.events.DeploymentExpired;
import dev.bluegreen.events.Envelope;
import dev.bluegreen.events.Phase;
import dev.bluegreen.lifecycle.AppState;
import dev.bluegreen.lifecycle.Deadlines;
import dev.bluegreen.lifecycle.Operation;
import dev.bluegreen.lifecycle.Transition;
import dev.bluegreen.pipeline.DeploymentLogContext;

/**
 * Folds one lifecycle partition: each event into its app's state, kept in the store; the transition goes to the
 * service's reactor. Made once per partition this instance owns, and closed when the partition goes elsewhere.
 */
final class FoldProcessor implements Processor<String, Envelope, String, AppState> {

    private static final Logger log = LoggerFactory.getLogger(FoldProcessor.class);

    /** How long an expiry that was published but not yet folded waits before it is published again. */
    private static final Duration EXPIRY_RETRY = Duration.ofSeconds(30);

    /**
     * What every partition's processor shares.
     *
     * @param initialLive the app's colour live before any recorded event; empty for an app the apps file lacks
     * @param deadlines the app's deadlines
     * @param reactor the service's reactions
     * @param expiries publishes an expiry in a deployment
     * @param tick how often deadlines are checked
     * @param grace how long after a deadline of another service's phase this one expires it
     */
    record Wiring(Function<String, Optional<dev.bluegreen.events.Colour>> initialLive,
            Function<String, Deadlines> deadlines, LifecycleReactor reactor, ExpiryPublisher expiries,
            Duration tick, Duration grace) {
    }

    /** Publishes a DeploymentExpired to the lifecycle topic, in the deployment's id. */
    interface ExpiryPublisher {
        void publish(String deploymentId, DeploymentExpired expired);
    }

    private final Wiring wiring;
    /** The engine's view of the owned apps' states, for reads from other threads. */
    private final Map<String, AppState> owned;
    private final Map<String, Instant> expiriesSent = new HashMap<>();
    private ProcessorContext<String, AppState> context;
    private KeyValueStore<String, AppState> store;
    private @Nullable Cancellable ticking;

    FoldProcessor(Wiring wiring, Map<String, AppState> owned) {
        this.wiring = wiring;
        this.owned = owned;
    }

    /** Kafka Streams calls this once the partition's store is restored: the apps in it are now this instance's. */
    @Override
    public void init(ProcessorContext<String, AppState> processorContext) {
        this.context = processorContext;
        this.store = processorContext.getStateStore(LifecycleEngine.STORE);
        List<AppState> states = all();
        log.info("This instance now owns {} app(s) of lifecycle partition {}: {}.", states.size(),
                processorContext.taskId().partition(), states.stream().map(AppState::app).toList());
        for (AppState state : states) {
            owned.put(state.app(), state);
            react(state.app(), null, () -> wiring.reactor().onOwned(state));
        }
        ticking = processorContext.schedule(wiring.tick(), PunctuationType.WALL_CLOCK_TIME, this::tick);
    }

    @Override
    public void process(Record<String, Envelope> record) {
        Envelope event = record.value();
        if (event == null) {
            return;
        }
        String app = event.subject();
        Optional<dev.bluegreen.events.Colour> initialLive = wiring.initialLive().apply(app);
        if (initialLive.isEmpty()) {
            react(app, event.deploymentId(), () -> wiring.reactor().onUnknownApp(event));
            return;
        }
        AppState before = Optional.ofNullable(store.get(app)).orElseGet(() -> AppState.initial(app, initialLive.get()));
        Transition transition = before.apply(event);
        AppState after = transition.after();
        if (after != before) {
            store.put(app, after);
        }
        owned.put(app, after);
        if (log.isDebugEnabled()) {
            log.debug("{} of {} in deployment {}: {} {}", event.type(), app, event.deploymentId(),
                    transition.decision().verdict(), transition.decision().reason());
        }
        react(app, event.deploymentId(), () -> wiring.reactor().onTransition(transition));
        if (after != before) {
            context.forward(record.withKey(app).withValue(after));
        }
    }

    private void tick(long wallClockMillis) {
        Instant now = Instant.ofEpochMilli(wallClockMillis);
        for (AppState state : all()) {
            expireIfDue(state, now);
            react(state.app(), null, () -> wiring.reactor().onTick(state, now));
        }
        expiriesSent.values().removeIf(sent -> sent.isBefore(now.minus(EXPIRY_RETRY)));
    }

    private void expireIfDue(AppState state, Instant now) {
        Operation current = state.current();
        if (current == null) {
            return;
        }
        Duration grace = wiring.reactor().ownPhases().contains(current.phase()) ? Duration.ZERO : wiring.grace();
        // all() names only apps of the apps file, which all have deadlines
        Optional<DeploymentExpired> expiry = wiring.deadlines().apply(state.app()).expiry(state, now, grace);
        String key = current.id() + "/" + current.phase();
        if (expiry.isPresent() && !expiriesSent.containsKey(key)) {
            expiriesSent.put(key, now);
            log.warn("{} of {} ran out of time while {}: {}", current.describe(), state.app(), current.phase(),
                    expiry.get().reason());
            wiring.expiries().publish(current.id(), expiry.get());
        }
    }

    /** Kafka Streams calls this when the partition leaves this instance, or the instance stops. */
    @Override
    public void close() {
        if (ticking != null) {
            ticking.cancel();
        }
        List<AppState> states = store == null ? List.of() : all();
        for (AppState state : states) {
            owned.remove(state.app());
            react(state.app(), null, () -> wiring.reactor().onReleased(state.app()));
        }
        if (!states.isEmpty()) {
            log.info("This instance no longer owns {}.", states.stream().map(AppState::app).toList());
        }
    }

    private List<AppState> all() {
        List<AppState> states = new ArrayList<>();
        try (KeyValueIterator<String, AppState> entries = store.all()) {
            while (entries.hasNext()) {
                KeyValue<String, AppState> entry = entries.next();
                if (wiring.initialLive().apply(entry.key).isPresent()) {
                    states.add(entry.value);
                }
            }
        }
        return states;
    }

    /**
     * A reaction that throws must not stop the fold of every other app: it is logged, and the app's history goes on.
     */
    private static void react(String app, @Nullable String deploymentId, Runnable reaction) {
        try (MDC.MDCCloseable inLogs = deploymentId == null ? null
                : MDC.putCloseable(DeploymentLogContext.MDC_KEY, deploymentId)) {
            reaction.run();
        }
        catch (RuntimeException ex) {
            log.error("The service's reaction to {}'s lifecycle failed; the app's history goes on.", app, ex);
        }
    }
}
