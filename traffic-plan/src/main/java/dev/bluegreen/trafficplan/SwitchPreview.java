package dev.bluegreen.trafficplan;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import dev.bluegreen.apps.AppSpec;
import dev.bluegreen.apps.RoutingSpec;
import dev.bluegreen.apps.VerifySpec;
import dev.bluegreen.digitalocean.DigitalOceanClient;
import dev.bluegreen.digitalocean.DigitalOceanException;
import dev.bluegreen.digitalocean.LoadBalancer;
import dev.bluegreen.digitalocean.ReservedIp;
import dev.bluegreen.events.Colour;
import reactor.core.publisher.Mono;

/**
 * What a switch of an app's traffic to its idle colour would do now, call by call, worked out from the balancer (or
 * reserved IP) as just read, changing nothing: the dry run of the traffic-router's switch. The router switches
 * through the same {@link BalancerState}, {@link TrafficTargets} and {@link SwitchTimings}, so the calls it names
 * are the calls the router makes.
 */
public final class SwitchPreview {

    /**
     * @param serving the colours taking traffic now: one, or none, or both after a switch that was cut short
     * @param target the colour a deployment goes to and traffic then moves to
     * @param now what takes the app's traffic now, as a sentence without its full stop
     * @param steps what the switch would do, in order
     */
    public record Plan(Set<Colour> serving, Colour target, String now, List<String> steps) {

        public Plan {
            serving = serving.isEmpty() ? Set.of() : Set.copyOf(serving);
            steps = List.copyOf(steps);
        }

        /** The one colour taking traffic now, or null when neither or both do. */
        public @Nullable Colour live() {
            return serving.size() == 1 ? serving.iterator().next() : null;
        }
    }

    /** How far back the doctor reads a balancer's health metrics: long enough to see samples minutes apart. */
    private static final long METRICS_WINDOW_MINUTES = 10;

    private final DigitalOceanClient digitalOcean;

    public SwitchPreview(DigitalOceanClient digitalOcean) {
        this.digitalOcean = digitalOcean;
    }

    /** Reads the app's balancer or reserved IP (GET calls only) and plans the switch to the colour not live. */
    public Mono<Plan> toIdleColour(String app, AppSpec spec) {
        if (spec.routing().strategy() == RoutingSpec.Strategy.RESERVED_IP) {
            String address = spec.routing().reservedIp();
            if (address == null || address.isBlank()) {
                return Mono.error(new IllegalStateException(app + " uses the reserved-ip strategy but names no "
                        + "reserved IP: set routing.reserved-ip in the apps file."));
            }
            return digitalOcean.getReservedIp(address).map(ip -> ofReservedIp(spec, ip));
        }
        return digitalOcean.getLoadBalancer(spec.loadBalancerId())
                .map(loadBalancer -> ofBalancer(app, spec, loadBalancer));
    }

    /** Plans the switch to the colour not live from the app's load balancer as already read. */
    public Plan ofBalancer(String app, AppSpec spec, LoadBalancer loadBalancer) {
        BalancerState balancer = new BalancerState(app, spec, loadBalancer);
        Set<Colour> liveColours = balancer.liveColours();
        Colour live = liveColours.size() == 1 ? liveColours.iterator().next() : null;
        Colour target = live == null ? balancer.spec().initialLiveColour().other() : live.other();
        Colour from = target.other();
        TrafficTargets targets = TrafficTargets.of(balancer, digitalOcean);
        RoutingSpec routing = balancer.spec().routing();
        List<String> steps = new ArrayList<>();
        if (live == null) {
            steps.add("Note: " + (liveColours.isEmpty() ? "neither colour takes traffic now"
                    : "both colours take traffic now (a move was cut short; the traffic-router finishes it at the "
                            + "app's next move)") + ". The pipeline goes by the app's recorded history, "
                    + "initial-live-colour until a switch is recorded; this plan assumes " + target
                    + " is the idle colour.");
        }
        List<Long> adding = balancer.detached(target);
        steps.add(adding.isEmpty() ? "The " + target + " droplets " + SwitchWords.joined(balancer.configured(target))
                + " are already attached to " + targets.describe() + "; nothing to add."
                : targets.addCall(adding) + ": the " + target + " droplets start taking traffic beside " + from + ".");
        steps.add(confirmStep(balancer, target, from, routing));
        List<Long> removing = balancer.attached(from);
        steps.add(removing.isEmpty() ? "No " + from + " droplet is attached; nothing to take out."
                : targets.removeCall(removing) + ": the " + from + " droplets stop taking new requests.");
        steps.add(drain(from, routing));
        return new Plan(liveColours, target, describe(balancer, liveColours), steps);
    }

    /**
     * How a switch would tell that the new colour serves, from the app's load balancer as already read and its
     * health metrics of the last {@value #METRICS_WINDOW_MINUTES} minutes (a GET call).
     */
    public Mono<Confirmation> confirmation(String app, AppSpec spec, LoadBalancer loadBalancer) {
        VerifySpec verify = spec.routing().verify();
        if (verify != null) {
            try {
                URI url = VerifyRequest.url(verify, loadBalancer);
                return Mono.just(new Confirmation(Confirmation.Method.VERIFY, "A switch asks GET " + url
                        + " through the balancer until the answer contains \"" + verify.expect() + "\" with the new "
                        + "colour's values (routing.verify).", url));
            } catch (IllegalStateException noAddress) {
                return Mono.just(new Confirmation(Confirmation.Method.VERIFY, noAddress.getMessage() + ".", null));
            }
        }
        BalancerState balancer = new BalancerState(app, spec, loadBalancer);
        List<Long> attached = new ArrayList<>(balancer.attached(Colour.BLUE));
        attached.addAll(balancer.attached(Colour.GREEN));
        return Mono.defer(() -> {
            Instant now = Instant.now();
            Instant since = now.minus(Duration.ofMinutes(METRICS_WINDOW_MINUTES));
            return digitalOcean.dropletHealth(loadBalancer.id(), since)
                    .map(metrics -> HealthReading.of(metrics, attached, since, now,
                            SwitchTimings.staleAfter(loadBalancer)))
                    .onErrorResume(DigitalOceanException.class, error -> Mono.just(HealthReading.unavailable(
                            error.status() != 404, error.status() == 404 ? "the metrics path answered 404"
                                    : "they could not be read: " + SwitchWords.why(error))));
        }).map(reading -> confirmation(balancer, reading));
    }

    private static Confirmation confirmation(BalancerState balancer, HealthReading reading) {
        if (!reading.namesNone()) {
            return new Confirmation(Confirmation.Method.HEALTH_METRICS, "The health metrics of load balancer "
                    + balancer.id() + " name its droplets by id (" + reading.describeCurrent() + "): a switch waits "
                    + "until they show every new droplet passing.", null);
        }
        LoadBalancer loadBalancer = balancer.loadBalancer();
        String silence = reading.awaited().isEmpty() && reading.offered() ? "none of the app's droplets is attached"
                : reading.silence();
        return new Confirmation(Confirmation.Method.WAIT, "No current health metric of load balancer "
                + balancer.id() + " names its droplets (" + silence + "): a switch waits "
                + SwitchWords.seconds(loadBalancer.timeToServe()) + " after adding the new colour ("
                + SwitchTimings.timeToServe(loadBalancer) + "), then takes the old colour out without seeing the "
                + "new one serve.", null);
    }

    private static String confirmStep(BalancerState balancer, Colour target, Colour from, RoutingSpec routing) {
        String giveUp = ", for at most " + SwitchWords.seconds(routing.settleTimeout()) + ". If they do not come "
                + "to serve, they are taken out again, " + from + " keeps serving and SwitchFailed says why.";
        VerifySpec verify = routing.verify();
        if (verify != null) {
            String where;
            try {
                where = "GET " + VerifyRequest.url(verify, balancer.loadBalancer());
            } catch (IllegalStateException noAddress) {
                where = "GET " + verify.path() + " (" + noAddress.getMessage() + ")";
            }
            return "Ask " + where + " through the balancer every "
                    + SwitchWords.seconds(SwitchTimings.VERIFY_POLL) + " until the answer contains \""
                    + verify.expect() + "\", filled in with " + target + "'s ref and commit (routing.verify)" + giveUp;
        }
        LoadBalancer loadBalancer = balancer.loadBalancer();
        return "Wait until the balancer's own health check passes on every " + target + " droplet ("
                + SwitchWords.joined(balancer.configured(target)) + "), reading GET "
                + "/v2/monitoring/metrics/load_balancer/droplets_health_checks?lb_id=" + balancer.id() + " every "
                + SwitchWords.seconds(SwitchTimings.HEALTH_POLL) + "; where no current sample names them, wait "
                + SwitchWords.seconds(loadBalancer.timeToServe()) + " after the add ("
                + SwitchTimings.timeToServe(loadBalancer) + ")" + giveUp;
    }

    /** Plans the switch to the colour not live from the app's reserved IP as already read. */
    public Plan ofReservedIp(AppSpec spec, ReservedIp ip) {
        Colour live = spec.colourOf(ip.dropletId());
        Colour target = live == null ? spec.initialLiveColour().other() : live.other();
        Colour from = target.other();
        RoutingSpec routing = spec.routing();
        List<String> steps = new ArrayList<>();
        if (live == null) {
            steps.add("Note: the reserved IP points at " + (ip.dropletId() == null ? "no droplet"
                    : "droplet " + ip.dropletId() + ", of neither colour") + "; this plan assumes " + target
                    + " is the idle colour.");
        }
        // the apps file is validated at start-up: each colour has at least one droplet
        long droplet = spec.droplets(target).get(0).id();
        steps.add("POST /v2/reserved_ips/" + ip.ip() + "/actions {\"type\": \"assign\", \"droplet_id\": " + droplet
                + "}: the reserved IP moves to the first " + target + " droplet in one step.");
        steps.add("Read the action (GET /v2/actions/{id}) every "
                + SwitchWords.seconds(SwitchTimings.ACTION_POLL) + " until it completes, for at most "
                + SwitchWords.seconds(routing.settleTimeout()) + ".");
        steps.add(drain(from, routing));
        return new Plan(serving(live), target, describe(ip, live), steps);
    }

    private static String drain(Colour from, RoutingSpec routing) {
        return "Wait the drain period (" + SwitchWords.seconds(routing.drainPeriod()) + ") for the requests " + from
                + " still serves to finish, then publish TrafficSwitched. The " + from + " droplets keep running, "
                + "ready for a rollback.";
    }

    private static String describe(BalancerState balancer, Set<Colour> liveColours) {
        String sends = liveColours.isEmpty() ? "none of the app's droplets" : String.join(" and ",
                liveColours.stream().map(colour -> colour + " (" + SwitchWords.joined(balancer.attached(colour))
                        + ")").toList());
        String tag = balancer.loadBalancer().tag();
        return "Load balancer " + balancer.id() + (tag == null ? "" : ", which targets tag '" + tag + "',")
                + " sends traffic to " + sends;
    }

    private static String describe(ReservedIp ip, @Nullable Colour live) {
        return "Reserved IP " + ip.ip() + " points at " + (ip.dropletId() == null ? "no droplet"
                : "droplet " + ip.dropletId() + (live == null ? "" : " (" + live + ")"));
    }

    private static Set<Colour> serving(@Nullable Colour live) {
        return live == null ? Set.of() : Set.of(live);
    }
}
