package dev.bluegreen.router.routing;

import static dev.bluegreen.router.routing.TrafficSwitcher.millisSince;
import static dev.bluegreen.router.routing.TrafficSwitcher.seconds;
import static dev.bluegreen.router.routing.TrafficSwitcher.why;

import java.time.Duration;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import dev.bluegreen.apps.AppSpec;
import dev.bluegreen.apps.DropletSpec;
import dev.bluegreen.events.Colour;
import dev.bluegreen.events.PipelineEvent;
import dev.bluegreen.events.RolledBack;
import dev.bluegreen.events.TrafficSwitched;
import dev.bluegreen.router.digitalocean.Action;
import dev.bluegreen.router.digitalocean.DigitalOceanClient;
import dev.bluegreen.router.digitalocean.ReservedIp;
import reactor.core.publisher.Mono;

/**
 * The reserved-IP strategy, for an app without a load balancer: its reserved IP is assigned to the first droplet of
 * the new colour, and the asynchronous action is polled until it completes. The move is one step at DigitalOcean,
 * so there is no moment without a droplet behind the IP; the old colour drains as after a balancer switch
 * (see {@link TrafficListener}).
 */
@Component
class ReservedIpSwitcher {

    private static final Logger log = LoggerFactory.getLogger(ReservedIpSwitcher.class);
    static final Duration ACTION_POLL = Duration.ofMillis(500);

    private final DigitalOceanClient digitalOcean;

    ReservedIpSwitcher(DigitalOceanClient digitalOcean) {
        this.digitalOcean = digitalOcean;
    }

    Mono<PipelineEvent> switchTo(String app, AppSpec spec, Colour target) {
        return onReservedIp(app, spec, target.other(), target, (ip, started) -> {
            Colour current = colourOf(spec, ip.dropletId());
            if (current == target) {
                return Mono.just(new TrafficSwitched(app, target, target, List.of(ip.dropletId()),
                        millisSince(started)));
            }
            Colour from = current == null ? target.other() : current;
            return move(app, spec, ip, from, target).then(Mono.fromSupplier(() -> (PipelineEvent) new TrafficSwitched(
                    app, from, target, List.of(firstDroplet(spec, target)), millisSince(started))));
        });
    }

    Mono<PipelineEvent> rollBack(String app, AppSpec spec) {
        return onReservedIp(app, spec, null, null, (ip, started) -> {
            Colour from = colourOf(spec, ip.dropletId());
            if (from == null) {
                throw new SwitchRefused(null, null, "Reserved IP " + ip.ip() + " of " + app + " points at "
                        + (ip.dropletId() == null ? "no droplet" : "droplet " + ip.dropletId() + ", of neither colour")
                        + ", so there is no colour to roll back from. Nothing changed.");
            }
            Colour to = from.other();
            if (spec.droplets(to).isEmpty()) {
                throw new SwitchRefused(from, to, app + " has no " + to + " droplets configured, so there is "
                        + "nothing to roll back to. Nothing changed.");
            }
            return move(app, spec, ip, from, to).then(Mono.fromSupplier(() -> (PipelineEvent) new RolledBack(app,
                    from, to, List.of(firstDroplet(spec, to)), millisSince(started))));
        });
    }

    /**
     * After a restart: once no assignment is in progress any more, a reserved IP that points at the colour not
     * recorded live was moved by a switch whose event was never published; it is published now. Empty otherwise.
     */
    Mono<PipelineEvent> finishInterrupted(String app, AppSpec spec, Colour wasLive) {
        String address = spec.routing().reservedIp();
        if (address == null || address.isBlank()) {
            return Mono.empty();
        }
        Colour target = wasLive.other();
        return digitalOcean.getReservedIp(address)
                .filter(ip -> !ip.locked())
                .repeatWhenEmpty(polls -> polls.delayElements(ACTION_POLL))
                .timeout(spec.routing().settleTimeout())
                .filter(ip -> colourOf(spec, ip.dropletId()) == target)
                .map(ip -> {
                    log.warn("Reserved IP {} of {} points at the {} droplet {}, but no switch there was recorded: "
                            + "the router stopped before it published one; publishing it now.", address, app, target,
                            ip.dropletId());
                    return (PipelineEvent) new TrafficSwitched(app, wasLive, target, List.of(ip.dropletId()), 0);
                })
                .onErrorResume(unreadable -> Mono.empty());
    }

    private Mono<PipelineEvent> onReservedIp(String app, AppSpec spec, @Nullable Colour from, @Nullable Colour to,
            java.util.function.BiFunction<ReservedIp, Long, Mono<PipelineEvent>> work) {
        String address = spec.routing().reservedIp();
        return Mono.defer(() -> {
            if (address == null || address.isBlank()) {
                throw new SwitchRefused(from, to, app + " uses the reserved-ip strategy but names no reserved IP: "
                        + "set routing.reserved-ip in the apps file. Nothing changed.");
            }
            long started = System.nanoTime();
            return digitalOcean.getReservedIp(address)
                    .onErrorMap(error -> new SwitchRefused(from, to, "Could not read reserved IP " + address + " of "
                            + app + ": " + why(error) + ". Nothing changed."))
                    .flatMap(ip -> work.apply(ip, started));
        }).onErrorResume(SwitchRefused.class, refused -> Mono.just(refused.event(app)));
    }

    /** Assigns the IP to the first droplet of {@code to} and waits for the action to complete. */
    private Mono<Void> move(String app, AppSpec spec, ReservedIp ip, Colour from, Colour to) {
        long droplet = firstDroplet(spec, to);
        String before = ip.dropletId() == null ? "it points at no droplet" : "it still points at droplet "
                + ip.dropletId() + " (" + from + ")";
        Duration settle = spec.routing().settleTimeout();
        return digitalOcean.assignReservedIp(ip.ip(), droplet)
                .onErrorMap(error -> new SwitchRefused(from, to, "Could not assign reserved IP " + ip.ip() + " of "
                        + app + " to the " + to + " droplet " + droplet + ": " + why(error) + ". Nothing changed: "
                        + before + "."))
                .flatMap(action -> awaitCompleted(action)
                        .timeout(settle, Mono.error(() -> new SwitchRefused(from, to, "Reserved IP " + ip.ip()
                                + " of " + app + " was being assigned to the " + to + " droplet " + droplet
                                + ", but action " + action.id() + " did not complete within " + seconds(settle)
                                + "; DigitalOcean may still finish it. Until then " + before + ".")))
                        .onErrorMap(error -> !(error instanceof SwitchRefused), error -> new SwitchRefused(from, to,
                                "Reserved IP " + ip.ip() + " of " + app + " was being assigned to the " + to
                                        + " droplet " + droplet + ", but action " + action.id() + " failed: "
                                        + why(error) + ". " + capitalised(before) + ".")))
                .doOnSuccess(done -> log.info("Reserved IP {} of {} now points at the {} droplet {}.", ip.ip(), app,
                        to, droplet));
    }

    private Mono<Void> awaitCompleted(Action started) {
        return Mono.just(started).expand(action -> action.completed() || action.errored() ? Mono.empty()
                        : Mono.delay(ACTION_POLL).then(digitalOcean.getAction(action.id())))
                .filter(action -> action.completed() || action.errored())
                .next()
                .flatMap(action -> action.errored()
                        ? Mono.error(new IllegalStateException("DigitalOcean reports it errored"))
                        : Mono.empty());
    }

    static @Nullable Colour colourOf(AppSpec spec, @Nullable Long dropletId) {
        if (dropletId == null) {
            return null;
        }
        for (Colour colour : Colour.values()) {
            if (spec.droplets(colour).stream().map(DropletSpec::id).anyMatch(dropletId::equals)) {
                return colour;
            }
        }
        return null;
    }

    private static long firstDroplet(AppSpec spec, Colour colour) {
        List<DropletSpec> droplets = spec.droplets(colour);
        if (droplets.isEmpty()) {
            throw new SwitchRefused(colour.other(), colour, "There are no " + colour + " droplets configured to "
                    + "point the reserved IP at. Nothing changed.");
        }
        return droplets.get(0).id();
    }

    private static String capitalised(String text) {
        return Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }
}
