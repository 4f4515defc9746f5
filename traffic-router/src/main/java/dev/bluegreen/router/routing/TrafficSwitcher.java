package dev.bluegreen.router.routing;

import static dev.bluegreen.trafficplan.SwitchWords.joined;
import static dev.bluegreen.trafficplan.SwitchWords.seconds;
import static dev.bluegreen.trafficplan.SwitchWords.why;

import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import dev.bluegreen.apps.AppCatalog;
import dev.bluegreen.apps.AppSpec;
import dev.bluegreen.apps.RoutingSpec;
import dev.bluegreen.digitalocean.DigitalOceanClient;
import dev.bluegreen.events.Colour;
import dev.bluegreen.events.PipelineEvent;
import dev.bluegreen.trafficplan.BalancerState;
import dev.bluegreen.trafficplan.TrafficTargets;
import reactor.core.publisher.Mono;

/**
 * Moves an app's load balancer from one colour to the other without dropping a request: the new colour's droplets
 * are added; the router waits until the balancer really sends them traffic ({@link NewColourWatch}: the new version
 * answering through the balancer, its health metrics, or the time its health check needs); only then are the old
 * colour's droplets taken out. If the new colour does not come to serve, it is taken out again while the old colour
 * is still attached, so the balancer is never left without a healthy droplet. Every move starts from the balancer as
 * it is now, compared with the colour the app's history records as live: a balancer moved by hand is reported, not
 * built on; one with both colours attached (a move cut short) is finished. (The drain after the move, and the
 * publication of the outcome, are {@link TrafficReactor}'s.)
 */
@Component
class TrafficSwitcher {

    private static final Logger log = LoggerFactory.getLogger(TrafficSwitcher.class);

    private final AppCatalog catalog;
    private final DigitalOceanClient digitalOcean;
    private final ReservedIpSwitcher reservedIps;
    private final NewColourWatch watch;

    TrafficSwitcher(AppCatalog catalog, DigitalOceanClient digitalOcean, ReservedIpSwitcher reservedIps,
            NewColourWatch watch) {
        this.catalog = catalog;
        this.digitalOcean = digitalOcean;
        this.reservedIps = reservedIps;
        this.watch = watch;
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
        return move(move, balancer, started).map(List::of);
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
     * Adds the target's droplets that are missing, waits until the balancer serves them, removes the old colour's
     * droplets that are attached, then answers TrafficSwitched or RolledBack.
     */
    private Mono<PipelineEvent> move(Move move, BalancerState balancer, long started) {
        Colour from = move.from();
        Colour to = move.target();
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
        Mono<Void> settle = watch.await(balancer, move, balancer.configured(to), routing.settleTimeout())
                .doOnNext(how -> log.info("{}'s {} droplets {} serve through {}: {}. Taking out the {} droplets {} "
                        + "for {}.", balancer.app(), to, joined(balancer.configured(to)), targets.describe(), how,
                        from, joined(removing), move.describe()))
                .then()
                .onErrorResume(NewColourWatch.NotServing.class, notServing -> restore(targets, balancer, from, to,
                        adding, removing, notServing));
        Mono<Void> remove = removing.isEmpty() ? Mono.empty() : targets.remove(removing)
                .onErrorMap(error -> new SwitchRefused(from, to, "Added the " + to + " droplets "
                        + joined(balancer.configured(to)) + " to " + targets.describe()
                        + " but could not remove the " + from + " droplets " + joined(removing) + ": " + why(error)
                        + ". The balancer still has healthy droplets: " + to + " and " + from + " both take "
                        + balancer.app() + "'s traffic.", true));
        return add.then(settle).then(remove)
                .then(Mono.fromSupplier(() -> move.succeeded(balancer.configured(to), millisSince(started))));
    }

    /** Takes the droplets just added out again, as long as the old colour is still attached to serve. */
    private Mono<Void> restore(TrafficTargets targets, BalancerState balancer, Colour from, Colour to,
            List<Long> added, List<Long> oldAttached, NewColourWatch.NotServing notServing) {
        String failed = "The " + to + " droplets " + joined(balancer.configured(to)) + " did not come to serve "
                + "through " + targets.describe() + " within " + seconds(notServing.settleTimeout()) + " ("
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

    static long millisSince(long startedNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos);
    }
}
