package dev.bluegreen.agent.deployment;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

import dev.bluegreen.events.Colour;
import dev.bluegreen.events.Envelope;
import dev.bluegreen.lifecycle.AppState;
import dev.bluegreen.pipeline.lifecycle.LifecycleReactor;

/**
 * The lifecycle engine of one agent instance, in a test without Kafka: every lifecycle event, the test's and those the
 * agent publishes, is folded in order on one thread with the shared state machine, and each transition goes to the
 * reactor, as the engine hands them on. Everything the agent publishes is kept.
 */
final class LocalLifecycle implements Publisher, AutoCloseable {

    private final ExecutorService streamThread = Executors.newSingleThreadExecutor(
            runnable -> new Thread(runnable, "local-lifecycle"));

    private final Map<String, AppState> states = new ConcurrentHashMap<>();

    private final List<Envelope> published = new CopyOnWriteArrayList<>();

    private final Colour initialLive;

    private @Nullable LifecycleReactor reactor;

    private CountDownLatch resume = new CountDownLatch(0);

    LocalLifecycle(Colour initialLive) {
        this.initialLive = initialLive;
    }

    void reactor(LifecycleReactor reactor) {
        this.reactor = reactor;
    }

    /** What the agent published, in order. */
    List<Envelope> published() {
        return List.copyOf(published);
    }

    List<Envelope> publishedFor(String deploymentId) {
        return published.stream().filter(envelope -> envelope.deploymentId().equals(deploymentId)).toList();
    }

    @Override
    public CompletableFuture<?> publish(Envelope envelope) {
        published.add(envelope);
        if (envelope.eventType().lifecycle()) {
            fold(envelope);
        }
        return CompletableFuture.completedFuture(null);
    }

    /** Folds a request or an outcome of another service, as it would arrive on the lifecycle topic. */
    void fold(Envelope event) {
        streamThread.execute(() -> {
            AppState before = states.computeIfAbsent(event.subject(), app -> AppState.initial(app, initialLive));
            var transition = before.apply(event);
            states.put(event.subject(), transition.after());
            if (reactor != null) {
                reactor.onTransition(transition);
            }
        });
    }

    /** Folds {@code event} into the state without telling the reactor: history from before this instance owned it. */
    void foldUnseen(Envelope event) {
        AppState before = states.computeIfAbsent(event.subject(), app -> AppState.initial(app, initialLive));
        states.put(event.subject(), before.apply(event).after());
    }

    /** Gives this instance the app, in the state folded so far, as a partition assignment would. */
    void own(String app) {
        streamThread.execute(() -> reactor.onOwned(states.computeIfAbsent(app,
                name -> AppState.initial(name, initialLive))));
    }

    /** Holds every event back from the fold until {@link #resumeFolding}, as a slow engine would. */
    void pauseFolding() {
        CountDownLatch paused = new CountDownLatch(1);
        resume = paused;
        streamThread.execute(() -> {
            try {
                paused.await();
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        });
    }

    void resumeFolding() {
        resume.countDown();
    }

    AppState state(String app) {
        return states.computeIfAbsent(app, name -> AppState.initial(name, initialLive));
    }

    @Override
    public void close() throws InterruptedException {
        streamThread.shutdownNow();
        streamThread.awaitTermination(10, TimeUnit.SECONDS);
    }
}
