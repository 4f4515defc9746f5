package dev.bluegreen.router.routing;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import dev.bluegreen.apps.AppCatalog;
import dev.bluegreen.apps.AppSpec;
import dev.bluegreen.apps.RoutingSpec;
import dev.bluegreen.events.Colour;
import dev.bluegreen.events.PipelineEvent;
import dev.bluegreen.events.RolledBack;
import dev.bluegreen.events.SwitchFailed;
import dev.bluegreen.events.TrafficSwitched;
import dev.bluegreen.router.digitalocean.DigitalOceanClient;
import dev.bluegreen.router.digitalocean.DigitalOceanException;
import reactor.core.publisher.Mono;

/**
 * Moves an app's load balancer from one colour to the other without dropping a request: the new colour's droplets
 * are added; the router waits until the balancer's own health check passes on every one of them (so it really
 * sends them traffic); only then are the old colour's droplets taken out. (Its drain period is kept by
 * {@link TrafficListener}, which publishes the outcome.) If the new colour does not come to serve, it is taken out
 * again while the old colour is still
 * attached, so the balancer is never left without a healthy droplet. Every move starts from the balancer as it is
 * now, so repeating one that already happened changes nothing.
 */
@Component
class TrafficSwitcher {

    private static final Logger log = LoggerFactory.getLogger(TrafficSwitcher.class);
    /** Each poll is an API call: a second apart keeps a two-minute wait well inside 250 calls a minute. */
    static final Duration HEALTH_POLL = Duration.ofSeconds(1);

    private final AppCatalog catalog;
    private final DigitalOceanClient digitalOcean;
    private final ReservedIpSwitcher reservedIps;

    TrafficSwitcher(AppCatalog catalog, DigitalOceanClient digitalOcean, ReservedIpSwitcher reservedIps) {
        this.catalog = catalog;
        this.digitalOcean = digitalOcean;
        this.reservedIps = reservedIps;
    }

    /** Sends the app's traffic to {@code target}: {@link TrafficSwitched}, or {@link SwitchFailed} saying why. */
    Mono<PipelineEvent> switchTo(String app, Colour target) {
        AppSpec spec = catalog.find(app).orElse(null);
        if (spec != null && spec.routing().strategy() == RoutingSpec.Strategy.RESERVED_IP) {
            return reservedIps.switchTo(app, spec, target);
        }
        return onBalancer(app, target.other(), target, (balancer, started) -> {
            if (balancer.servesOnly(target)) {
                return Mono.just(new TrafficSwitched(app, target, target, balancer.configured(target),
                        millisSince(started)));
            }
            return move(balancer, target.other(), target, started, (from, millis) ->
                    new TrafficSwitched(app, from, target, balancer.configured(target), millis));
        });
    }

    /** Sends the app's traffic back to the colour that is not live: {@link RolledBack}, or {@link SwitchFailed}. */
    Mono<PipelineEvent> rollBack(String app) {
        AppSpec spec = catalog.find(app).orElse(null);
        if (spec != null && spec.routing().strategy() == RoutingSpec.Strategy.RESERVED_IP) {
            return reservedIps.rollBack(app, spec);
        }
        return onBalancer(app, null, null, (balancer, started) -> {
            Colour from = liveColour(balancer);
            Colour to = from.other();
            if (balancer.configured(to).isEmpty()) {
                throw new SwitchRefused(from, to, app + " has no " + to + " droplets configured, so there is "
                        + "nothing to roll back to. Nothing changed.");
            }
            return move(balancer, from, to, started, (ignored, millis) -> new RolledBack(app, from, to,
                    balancer.configured(to), millis));
        });
    }

    /**
     * Finishes a move that was cut short: with both colours attached, the one not recorded live ({@code wasLive})
     * is finished if the balancer serves it and taken out again if not; with only that colour attached, the switch
     * happened but its event was never published, so it is published now. Empty when there is nothing to finish.
     */
    Mono<PipelineEvent> finishInterrupted(String app, Colour wasLive) {
        AppSpec spec = catalog.find(app).orElse(null);
        if (spec == null) {
            return Mono.empty();
        }
        if (spec.routing().strategy() == RoutingSpec.Strategy.RESERVED_IP) {
            return reservedIps.finishInterrupted(app, spec, wasLive);
        }
        Colour target = wasLive.other();
        long started = System.nanoTime();
        return digitalOcean.getLoadBalancer(spec.loadBalancerId())
                .onErrorResume(unreadable -> Mono.empty())
                .map(loadBalancer -> new BalancerState(app, spec, loadBalancer))
                .filter(balancer -> balancer.liveColours().size() == 2 || balancer.servesOnly(target))
                .flatMap(balancer -> {
                    if (balancer.servesOnly(target)) {
                        log.warn("Load balancer {} of {} serves {}, but no switch there was recorded: the router "
                                + "stopped before it published one; publishing it now.", balancer.id(), app, target);
                        return Mono.just(new TrafficSwitched(app, wasLive, target, balancer.configured(target), 0));
                    }
                    log.warn("Load balancer {} of {} has both colours attached: a switch to {} was cut short; "
                            + "finishing it.", balancer.id(), app, target);
                    return move(balancer, wasLive, target, started, (from, millis) ->
                            new TrafficSwitched(app, from, target, balancer.configured(target), millis));
                })
                .onErrorResume(SwitchRefused.class, refused -> Mono.just(refused.event(app)));
    }

    /**
     * Reads the app's balancer and hands it to {@code work}; any refusal on the way becomes a {@link SwitchFailed}.
     * {@code from} and {@code to} are what a refusal names before the work knows better; null when unknown.
     */
    private Mono<PipelineEvent> onBalancer(String app, @Nullable Colour from, @Nullable Colour to,
            BiFunction<BalancerState, Long, Mono<PipelineEvent>> work) {
        AppSpec spec = catalog.find(app).orElse(null);
        if (spec == null) {
            return Mono.just(new SwitchFailed(app, from, to,
                    "No app named '" + app + "' is configured in the traffic-router's apps file."));
        }
        return Mono.defer(() -> {
            long started = System.nanoTime();
            return digitalOcean.getLoadBalancer(spec.loadBalancerId())
                    .onErrorMap(error -> !(error instanceof SwitchRefused), error -> new SwitchRefused(from, to,
                            "Could not read load balancer " + spec.loadBalancerId() + " of " + app + ": "
                                    + why(error) + ". Nothing changed."))
                    .map(loadBalancer -> new BalancerState(app, spec, loadBalancer))
                    .flatMap(balancer -> work.apply(balancer, started));
        }).onErrorResume(SwitchRefused.class, refused -> Mono.just(refused.event(app)));
    }

    /**
     * Adds the droplets of {@code to} that are missing, waits until the balancer serves all of {@code to}, removes
     * those of {@code from} that are attached, then answers with {@code outcome}.
     */
    private Mono<PipelineEvent> move(BalancerState balancer, Colour from, Colour to, long started,
            BiFunction<Colour, Long, PipelineEvent> outcome) {
        TrafficTargets targets = TrafficTargets.of(balancer, digitalOcean);
        List<Long> adding = balancer.detached(to);
        List<Long> removing = balancer.attached(from);
        RoutingSpec routing = balancer.spec().routing();
        String stillServing = removing.isEmpty() ? "." : ": the " + from + " droplets still take "
                + balancer.app() + "'s traffic.";
        Mono<Void> add = adding.isEmpty() ? Mono.empty() : targets.add(adding)
                .onErrorResume(error -> takeOutQuietly(targets, adding, removing).then(Mono.error(new SwitchRefused(
                        from, to, "Could not add the " + to + " droplets " + joined(adding) + " to "
                                + targets.describe() + ": " + why(error) + ". Nothing changed" + stillServing))));
        Mono<Void> settle = awaitServing(balancer, balancer.configured(to), routing.settleTimeout())
                .onErrorResume(NotServing.class, notServing -> restore(targets, balancer, from, to, adding, removing,
                        notServing));
        Mono<Void> remove = removing.isEmpty() ? Mono.empty() : targets.remove(removing)
                .onErrorMap(error -> new SwitchRefused(from, to, "Added the " + to + " droplets "
                        + joined(balancer.configured(to)) + " to " + targets.describe()
                        + " but could not remove the " + from + " droplets " + joined(removing) + ": " + why(error)
                        + ". The balancer still has healthy droplets: " + to + " and " + from + " both take "
                        + balancer.app() + "'s traffic."));
        return add.then(settle).then(remove)
                .then(Mono.fromSupplier(() -> outcome.apply(from, millisSince(started))));
    }

    /**
     * Waits until the balancer's own health check passes on every one of {@code dropletIds}, read from
     * DigitalOcean's per-droplet health metrics; where those are not available, waits as long as the balancer
     * needs to find a new droplet healthy ({@code healthy_threshold x check_interval_seconds}), at most
     * {@code settleTimeout}.
     */
    private Mono<Void> awaitServing(BalancerState balancer, List<Long> dropletIds, Duration settleTimeout) {
        if (dropletIds.isEmpty()) {
            return Mono.empty();
        }
        Mono<Map<Long, Boolean>> health = digitalOcean.dropletHealth(balancer.id());
        return health.filter(healthy -> dropletIds.stream().allMatch(id -> Boolean.TRUE.equals(healthy.get(id))))
                .repeatWhenEmpty(polls -> polls.delayElements(HEALTH_POLL))
                .then()
                .timeout(settleTimeout, Mono.defer(() -> health
                        .onErrorResume(error -> Mono.just(Map.of()))
                        .flatMap(healthy -> Mono.error(new NotServing(settleTimeout, dropletIds.stream()
                                .filter(id -> !Boolean.TRUE.equals(healthy.get(id))).toList())))))
                .onErrorResume(error -> error instanceof DigitalOceanException missing && missing.status() == 404,
                        noMetrics -> {
                            Duration wait = min(balancer.loadBalancer().timeToHealthy(), settleTimeout);
                            log.info("Load balancer {} shows no per-droplet health; waiting {} ms, the time its "
                                    + "health check needs to pass a new droplet.", balancer.id(), wait.toMillis());
                            return Mono.delay(wait).then();
                        })
                .onErrorMap(error -> !(error instanceof NotServing),
                        error -> new NotServing(settleTimeout, dropletIds, why(error)));
    }

    /** Takes the droplets just added out again, as long as the old colour is still attached to serve. */
    private Mono<Void> restore(TrafficTargets targets, BalancerState balancer, Colour from, Colour to,
            List<Long> added, List<Long> oldAttached, NotServing notServing) {
        String failed = "The " + to + " droplets " + joined(balancer.configured(to)) + " did not come to serve "
                + "through " + targets.describe() + " within " + seconds(notServing.settleTimeout) + " ("
                + notServing.detail() + ")";
        if (oldAttached.isEmpty()) {
            return Mono.error(new SwitchRefused(from, to, failed + ". The " + from + " droplets were not attached "
                    + "either; the " + to + " droplets stay attached."));
        }
        List<Long> takeOut = added.isEmpty() ? balancer.configured(to) : added;
        return targets.remove(takeOut)
                .onErrorMap(error -> new SwitchRefused(from, to, failed + ", and could not take them out again: "
                        + why(error) + ". Both colours are attached; the balancer sends traffic only to droplets "
                        + "that pass its health check, so the " + from + " droplets still take " + balancer.app()
                        + "'s traffic."))
                .then(Mono.error(new SwitchRefused(from, to, failed + ". Took them out again: the " + from
                        + " droplets still take " + balancer.app() + "'s traffic.")));
    }

    private static Mono<Void> takeOutQuietly(TrafficTargets targets, List<Long> added, List<Long> oldAttached) {
        // the add may have gone through before it failed (no answer, 5xx): undo it while the old colour serves
        return oldAttached.isEmpty() ? Mono.empty() : targets.remove(added).onErrorResume(error -> Mono.empty());
    }

    /** The one colour taking traffic; a rollback from both or neither would be a guess. */
    private static Colour liveColour(BalancerState balancer) {
        Set<Colour> live = balancer.liveColours();
        if (live.size() == 1) {
            return live.iterator().next();
        }
        String which = live.isEmpty() ? "neither its blue nor its green droplets" : "both its blue and green droplets";
        throw new SwitchRefused(null, null, "Load balancer " + balancer.id() + " sends " + balancer.app()
                + "'s traffic to " + which + ", so there is no single colour to roll back from. Nothing changed.");
    }

    static String why(Throwable error) {
        String message = error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
        return message.endsWith(".") ? message.substring(0, message.length() - 1) : message;
    }

    static String joined(List<Long> ids) {
        return ids.stream().map(String::valueOf).collect(Collectors.joining(", "));
    }

    static String seconds(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + " s" : duration.toMillis() + " ms";
    }

    static long millisSince(long startedNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /** The new colour did not come to serve within the settle timeout. */
    private static final class NotServing extends RuntimeException {

        private final Duration settleTimeout;

        NotServing(Duration settleTimeout, List<Long> unhealthy) {
            this(settleTimeout, unhealthy, null);
        }

        NotServing(Duration settleTimeout, List<Long> unhealthy, @Nullable String why) {
            super(why != null ? "its health could not be read: " + why
                    : "the balancer's health check still fails on droplets " + joined(unhealthy), null, false, false);
            this.settleTimeout = settleTimeout;
        }

        String detail() {
            return getMessage();
        }
    }
}
