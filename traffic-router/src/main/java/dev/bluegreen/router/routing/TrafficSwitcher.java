package dev.bluegreen.router.routing;

import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

import dev.bluegreen.apps.AppCatalog;
import dev.bluegreen.apps.AppSpec;
import dev.bluegreen.events.Colour;
import dev.bluegreen.events.PipelineEvent;
import dev.bluegreen.events.RolledBack;
import dev.bluegreen.events.SwitchFailed;
import dev.bluegreen.events.TrafficSwitched;
import dev.bluegreen.router.digitalocean.DigitalOceanClient;
import reactor.core.publisher.Mono;

/**
 * Moves an app's load balancer from one colour to the other: the new colour's droplets are added first, and only
 * then are the old colour's removed, so the balancer never stands without droplets. Every move starts from the
 * balancer as it is now, so repeating one that already happened changes nothing.
 */
@Component
class TrafficSwitcher {

    private final AppCatalog catalog;
    private final DigitalOceanClient digitalOcean;

    TrafficSwitcher(AppCatalog catalog, DigitalOceanClient digitalOcean) {
        this.catalog = catalog;
        this.digitalOcean = digitalOcean;
    }

    /** Sends the app's traffic to {@code target}: {@link TrafficSwitched}, or {@link SwitchFailed} saying why. */
    Mono<PipelineEvent> switchTo(String app, Colour target) {
        return onBalancer(app, target.other(), target, (balancer, started) -> {
            if (balancer.servesOnly(target)) {
                return Mono.just(new TrafficSwitched(app, target, target, balancer.configured(target),
                        millisSince(started)));
            }
            return move(balancer, target.other(), target).then(Mono.fromSupplier(() -> new TrafficSwitched(app,
                    target.other(), target, balancer.configured(target), millisSince(started))));
        });
    }

    /** Sends the app's traffic back to the colour that is not live: {@link RolledBack}, or {@link SwitchFailed}. */
    Mono<PipelineEvent> rollBack(String app) {
        return onBalancer(app, null, null, (balancer, started) -> {
            Colour from = liveColour(balancer);
            Colour to = from.other();
            if (balancer.configured(to).isEmpty()) {
                throw new SwitchRefused(from, to, app + " has no " + to + " droplets configured, so there is "
                        + "nothing to roll back to. Nothing changed.");
            }
            return move(balancer, from, to).then(Mono.fromSupplier(() -> new RolledBack(app, from, to,
                    balancer.configured(to), millisSince(started))));
        });
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
                    .onErrorMap(error -> new SwitchRefused(from, to, "Could not read load balancer "
                            + spec.loadBalancerId() + " of " + app + ": " + why(error) + ". Nothing changed."))
                    .map(loadBalancer -> new BalancerState(app, spec, loadBalancer))
                    .flatMap(balancer -> work.apply(requireDropletIds(balancer, from, to), started));
        }).onErrorResume(SwitchRefused.class, refused -> Mono.just(refused.event(app)));
    }

    /** Adds the droplets of {@code to} that are missing, then removes those of {@code from} that are attached. */
    private Mono<Void> move(BalancerState balancer, Colour from, Colour to) {
        List<Long> adding = balancer.detached(to);
        List<Long> removing = balancer.attached(from);
        Mono<Void> add = adding.isEmpty() ? Mono.empty() : digitalOcean.addDroplets(balancer.id(), adding)
                .onErrorMap(error -> new SwitchRefused(from, to, "Could not add the " + to + " droplets "
                        + joined(adding) + " to load balancer " + balancer.id() + ": " + why(error)
                        + ". Nothing changed" + (removing.isEmpty() ? "." : ": the " + from + " droplets still take "
                        + balancer.app() + "'s traffic.")));
        Mono<Void> remove = removing.isEmpty() ? Mono.empty() : digitalOcean.removeDroplets(balancer.id(), removing)
                .onErrorMap(error -> new SwitchRefused(from, to, "Added the " + to + " droplets "
                        + joined(balancer.configured(to)) + " to load balancer " + balancer.id()
                        + " but could not remove the " + from + " droplets " + joined(removing) + ": " + why(error)
                        + ". The balancer still has healthy droplets: " + to + " and " + from + " both take "
                        + balancer.app() + "'s traffic."));
        return add.then(remove);
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

    /** A balancer that targets a tag refuses droplets by id, so say so before trying. */
    private static BalancerState requireDropletIds(BalancerState balancer, @Nullable Colour from, @Nullable Colour to) {
        String tag = balancer.loadBalancer().tag();
        if (tag != null) {
            throw new SwitchRefused(from, to, "Load balancer " + balancer.id() + " of " + balancer.app()
                    + " targets the droplet tag '" + tag + "', but traffic moves by droplet id: configure the "
                    + "balancer with droplet ids instead of a tag. Nothing changed.");
        }
        return balancer;
    }

    private static String why(Throwable error) {
        String message = error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
        return message.endsWith(".") ? message.substring(0, message.length() - 1) : message;
    }

    private static String joined(List<Long> ids) {
        return ids.stream().map(String::valueOf).collect(Collectors.joining(", "));
    }

    private static long millisSince(long startedNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos);
    }
}
