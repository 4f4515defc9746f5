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
import dev.bluegreen.router.digitalocean.DigitalOceanClient;
import dev.bluegreen.router.digitalocean.DigitalOceanException;
import reactor.core.publisher.Mono;

/**
 * Moves an app's load balancer from one colour to the other without dropping a request: the new colour's droplets
 * are added; the router waits until the balancer's own health check passes on every one of them (so it really
 * sends them traffic); only then are the old colour's droplets taken out. If the new colour does not come to serve,
 * it is taken out again while the old colour is still attached, so the balancer is never left without a healthy
 * droplet. Every move starts from the balancer as it is now, compared with the colour the app's history records as
 * live: a balancer moved by hand is reported, not built on; one with both colours attached (a move cut short) is
 * finished. (The drain after the move, and the publication of the outcome, are {@link TrafficReactor}'s.)
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

    /**
     * Sends the app's traffic to the move's target. The events to publish, in order: TrafficSwitched or RolledBack;
     * or SwitchFailed saying why; or DriftDetected and SwitchFailed when the balancer was moved by hand.
     */
    Mono<List<PipelineEvent>> move(Move move) {
        AppSpec spec = catalog.find(move.app()).orElse(null);
        if (spec == null) {
            return Mono.just(List.of(move.failed("No app named '" + move.app() + "' is configured in the "
                    + "traffic-router's apps file.")));
        }
        if (spec.routing().strategy() == RoutingSpec.Strategy.RESERVED_IP) {
            return reservedIps.move(move, spec);
        }
        return Mono.defer(() -> {
            long started = System.nanoTime();
            return digitalOcean.getLoadBalancer(spec.loadBalancerId())
                    .onErrorMap(error -> new SwitchRefused(move.from(), move.target(), "Could not read load balancer "
                            + spec.loadBalancerId() + " of " + move.app() + ": " + why(error) + ". "
                            + unchanged(move)))
                    .map(loadBalancer -> new BalancerState(move.app(), spec, loadBalancer))
                    .flatMap(balancer -> onBalancer(move, balancer, started));
        }).onErrorResume(SwitchRefused.class, refused -> Mono.just(refused.events(move.app(), move.recordedLive())));
    }

    private Mono<List<PipelineEvent>> onBalancer(Move move, BalancerState balancer, long started) {
        Set<Colour> serving = balancer.liveColours();
        if (move.drifted(serving)) {
            Colour other = serving.iterator().next();
            return Mono.just(move.drift(serving, "Load balancer " + balancer.id() + " sends " + move.app()
                    + "'s traffic to " + other + " only (droplets " + joined(balancer.attached(other)) + ")"));
        }
        if (serving.size() == 2) {
            log.warn("Load balancer {} of {} has both colours attached: a move was cut short; finishing the move to {} "
                    + "for {}.", balancer.id(), move.app(), move.target(), move.describe());
        }
        return move(balancer, move.from(), move.target(), started,
                (from, millis) -> move.succeeded(balancer.configured(move.target()), millis))
                .map(List::of);
    }

    /**
     * After a move left both colours attached: takes the idle colour out again once every droplet of the live colour
     * is attached, and answers DriftDetected of what the balancer serves now, so the history may let deployments go
     * to the idle colour again. Answers nothing when the balancer cannot be read or changed; the router tries later.
     */
    Mono<List<PipelineEvent>> settle(String app, Colour live) {
        AppSpec spec = catalog.find(app).orElse(null);
        if (spec == null || spec.routing().strategy() == RoutingSpec.Strategy.RESERVED_IP) {
            return Mono.just(List.of());
        }
        return digitalOcean.getLoadBalancer(spec.loadBalancerId())
                .map(loadBalancer -> new BalancerState(app, spec, loadBalancer))
                .flatMap(balancer -> {
                    Colour idle = live.other();
                    if (balancer.attached(idle).isEmpty() || !balancer.detached(live).isEmpty()) {
                        return Mono.just(balancer);
                    }
                    TrafficTargets targets = TrafficTargets.of(balancer, digitalOcean);
                    log.info("Taking {}'s {} droplets {} out of {}: a move left both colours attached.", app, idle,
                            joined(balancer.attached(idle)), targets.describe());
                    return targets.remove(balancer.attached(idle)).then(digitalOcean.getLoadBalancer(balancer.id())
                            .map(loadBalancer -> new BalancerState(app, spec, loadBalancer)));
                })
                .map(balancer -> List.<PipelineEvent>of(new dev.bluegreen.events.DriftDetected(app, live,
                        List.copyOf(balancer.liveColours()), "Load balancer " + balancer.id() + " now sends " + app
                                + "'s traffic to " + balancer.liveColours() + ".")))
                .onErrorResume(error -> {
                    log.warn("Could not settle {}'s balancer, which serves both colours: {}. Trying again later.",
                            app, why(error));
                    return Mono.just(List.of());
                });
    }

    /** What a refusal before any write says about the balancer. */
    static String unchanged(Move move) {
        return move.resuming() ? "The move begun before may have left both colours attached: the balancer sends "
                + "traffic only to droplets that pass its health check." : "Nothing changed.";
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
                        + balancer.app() + "'s traffic.", true));
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
                        + "'s traffic.", true))
                .then(Mono.error(new SwitchRefused(from, to, failed + ". Took them out again: the " + from
                        + " droplets still take " + balancer.app() + "'s traffic.")));
    }

    private static Mono<Void> takeOutQuietly(TrafficTargets targets, List<Long> added, List<Long> oldAttached) {
        // the add may have gone through before it failed (no answer, 5xx): undo it while the old colour serves
        return oldAttached.isEmpty() ? Mono.empty() : targets.remove(added).onErrorResume(error -> Mono.empty());
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
