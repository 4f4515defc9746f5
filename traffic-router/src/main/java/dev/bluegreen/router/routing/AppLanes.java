package dev.bluegreen.router.routing;

import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;

/**
 * Each owned app's traffic work in a lane of its own, one piece after the other, so that two moves never change one
 * balancer at once; apps do not wait for each other. The work runs on Reactor's threads: the lifecycle engine's
 * thread only hands it over. Stopping an app's lane cancels the work that runs and drops the work that waits.
 */
final class AppLanes {

    private static final Logger log = LoggerFactory.getLogger(AppLanes.class);
    /** Keys remembered per lane: far more than the moves an app makes while one instance owns it. */
    private static final int REMEMBERED_KEYS = 64;

    private final Map<String, Lane> lanes = new ConcurrentHashMap<>();

    /**
     * Runs {@code work} after the app's earlier work. {@code key} names what the work does (the move of one
     * deployment): work whose key was handed over already since this instance owns the app is a repeat, and is
     * dropped, so a transition seen twice moves nothing twice.
     *
     * @return whether the work will run
     */
    boolean submit(String app, String key, Mono<Void> work) {
        return lanes.computeIfAbsent(app, name -> new Lane()).submit(key, work);
    }

    /** Cancels the app's work: what runs stops issuing calls, what waits never starts. */
    void stop(String app) {
        Lane lane = lanes.remove(app);
        if (lane != null) {
            lane.stop();
        }
    }

    void stopAll() {
        List.copyOf(lanes.keySet()).forEach(this::stop);
    }

    private static final class Lane {

        private final Set<String> keys = new LinkedHashSet<>();
        private final Sinks.Many<Mono<Void>> queue = Sinks.many().unicast().onBackpressureBuffer();
        private final Disposable running = queue.asFlux()
                .concatMap(work -> work.onErrorResume(error -> {
                    log.error("Traffic work ended in an error nobody handled.", error);
                    return Mono.empty();
                }))
                .subscribe();

        synchronized boolean submit(String key, Mono<Void> work) {
            if (!keys.add(key)) {
                return false;
            }
            if (keys.size() > REMEMBERED_KEYS) {
                Iterator<String> oldest = keys.iterator();
                oldest.next();
                oldest.remove();
            }
            return queue.tryEmitNext(work.subscribeOn(Schedulers.boundedElastic())).isSuccess();
        }

        synchronized void stop() {
            running.dispose();
        }
    }
}
