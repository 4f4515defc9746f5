package dev.bluegreen.router.routing;

import static dev.bluegreen.router.routing.TrafficSwitcher.millisSince;
import static dev.bluegreen.trafficplan.SwitchWords.seconds;
import static dev.bluegreen.trafficplan.SwitchWords.why;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import dev.bluegreen.apps.AppSpec;
import dev.bluegreen.apps.DropletSpec;
import dev.bluegreen.digitalocean.Action;
import dev.bluegreen.digitalocean.DigitalOceanClient;
import dev.bluegreen.digitalocean.ReservedIp;
import dev.bluegreen.events.Colour;
import dev.bluegreen.events.PipelineEvent;
import dev.bluegreen.trafficplan.SwitchTimings;
import reactor.core.publisher.Mono;

/**
 * The reserved-IP strategy, for an app without a load balancer: its reserved IP is assigned to the first droplet of
 * the new colour, and the asynchronous action is polled until it completes. The move is one step at DigitalOcean,
 * so there is no moment without a droplet behind the IP; the old colour drains as after a balancer switch
 * (see {@link TrafficReactor}).
 */
@Component
class ReservedIpSwitcher {

    private static final Logger log = LoggerFactory.getLogger(ReservedIpSwitcher.class);

    private final DigitalOceanClient digitalOcean;

    ReservedIpSwitcher(DigitalOceanClient digitalOcean) {
        this.digitalOcean = digitalOcean;
    }

    /** Points the app's reserved IP at the move's target: the events to publish, as {@link TrafficSwitcher#move}. */
    Mono<List<PipelineEvent>> move(Move move, AppSpec spec) {
        String address = spec.routing().reservedIp();
        return Mono.defer(() -> {
            if (address == null || address.isBlank()) {
                throw new SwitchRefused(move.from(), move.target(), move.app() + " uses the reserved-ip strategy but "
                        + "names no reserved IP: set routing.reserved-ip in the apps file. Nothing changed.");
            }
            long started = System.nanoTime();
            return read(move, spec, address)
                    .onErrorMap(error -> !(error instanceof SwitchRefused), error -> new SwitchRefused(move.from(),
                            move.target(), "Could not read reserved IP " + address + " of " + move.app() + ": "
                                    + why(error) + ". " + TrafficSwitcher.unchanged(move)))
                    .flatMap(ip -> onReservedIp(move, spec, ip, started));
        }).onErrorResume(SwitchRefused.class, refused -> Mono.just(List.of(refused.event(move.app()))));
    }

    /** The reserved IP; on a move taken over, once the assignment the earlier owner may have begun is complete. */
    private Mono<ReservedIp> read(Move move, AppSpec spec, String address) {
        if (!move.resuming()) {
            return digitalOcean.getReservedIp(address);
        }
        return digitalOcean.getReservedIp(address)
                .filter(ip -> !ip.locked())
                .repeatWhenEmpty(polls -> polls.delayElements(SwitchTimings.ACTION_POLL))
                .timeout(spec.routing().settleTimeout());
    }

    private Mono<List<PipelineEvent>> onReservedIp(Move move, AppSpec spec, ReservedIp ip, long started) {
        Colour current = spec.colourOf(ip.dropletId());
        if (current != null && move.drifted(Set.of(current))) {
            return Mono.just(move.drift(Set.of(current), "Reserved IP " + ip.ip() + " points at the " + current
                    + " droplet " + ip.dropletId()));
        }
        if (current == move.target()) {
            log.info("Reserved IP {} of {} points at the {} droplet {} already.", ip.ip(), move.app(), current,
                    ip.dropletId());
            return Mono.just(List.of(move.succeeded(List.of(ip.dropletId()), millisSince(started))));
        }
        return move(move.app(), spec, ip, move.from(), move.target())
                .then(Mono.fromSupplier(() -> List.of(move.succeeded(List.of(firstDroplet(spec, move.target())),
                        millisSince(started)))));
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
                        : Mono.delay(SwitchTimings.ACTION_POLL).then(digitalOcean.getAction(action.id())))
                .filter(action -> action.completed() || action.errored())
                .next()
                .flatMap(action -> action.errored()
                        ? Mono.error(new IllegalStateException("DigitalOcean reports it errored"))
                        : Mono.empty());
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
