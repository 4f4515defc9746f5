package dev.bluegreen.preflight.doctor;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

import dev.bluegreen.apps.AppSpec;
import dev.bluegreen.apps.DropletSpec;
import dev.bluegreen.apps.RoutingSpec;
import dev.bluegreen.digitalocean.Account;
import dev.bluegreen.digitalocean.DigitalOceanClient;
import dev.bluegreen.digitalocean.DigitalOceanException;
import dev.bluegreen.digitalocean.Droplet;
import dev.bluegreen.digitalocean.LoadBalancer;
import dev.bluegreen.digitalocean.ReservedIp;
import dev.bluegreen.events.Colour;
import dev.bluegreen.preflight.Report;
import dev.bluegreen.trafficplan.SwitchPreview;
import reactor.core.publisher.Mono;

/** The token, and for each app its load balancer (or reserved IP), its droplets, and which colour is live. */
final class DigitalOceanChecks {

    private static final String TOKEN_FIX = "create a token at https://cloud.digitalocean.com/account/api/tokens "
            + "with read and write access to load balancers, droplets, tags and reserved IPs, and read access to "
            + "monitoring, and set DIGITALOCEAN_TOKEN to it.";

    /** Longer than the client's own timeout and its retries: the client gives up first, saying why. */
    private static final Duration LONGEST_CALL = Duration.ofMinutes(1);

    private final DigitalOceanClient digitalOcean;
    private final SwitchPreview preview;
    private final URI apiUrl;
    private final Report report;

    DigitalOceanChecks(DigitalOceanClient digitalOcean, URI apiUrl, Report report) {
        this.digitalOcean = digitalOcean;
        this.preview = new SwitchPreview(digitalOcean);
        this.apiUrl = apiUrl;
        this.report = report;
    }

    /** Whether the token gets answers: the app checks need it. */
    boolean token() {
        try {
            Account account = await(digitalOcean.getAccount());
            if (account.active()) {
                report.ok("DigitalOcean accepts the token (account " + account.email() + ").");
            }
            else {
                report.warn("DigitalOcean accepts the token, but account " + account.email() + " is "
                        + account.status() + (account.statusMessage() == null || account.statusMessage().isBlank()
                                ? "" : ": " + account.statusMessage().strip()) + ".",
                        "see the account's page in the DigitalOcean control panel.");
            }
            return true;
        }
        catch (DigitalOceanException ex) {
            if (ex.status() == 401) {
                report.problem("DigitalOcean refused the token (401): it is wrong, expired or revoked.", TOKEN_FIX);
                return false;
            }
            if (ex.status() == 403) {
                // a custom-scoped token needs no account:read: whether it can do its job shows below
                report.warn("The token may not read the account (403); the checks below show whether it may read "
                        + "what bluegreen needs.", null);
                return true;
            }
            report.problem(ex.getMessage() + ".", ex.status() == 0 ? "check the network between here and "
                    + apiUrl + ", and bluegreen.digitalocean.api-url." : "try again in a while; if it persists, see "
                    + "https://status.digitalocean.com.");
            return false;
        }
    }

    /** Checks the app's DigitalOcean resources and returns the live colour, or null when it is not clear. */
    @Nullable Colour app(String app, AppSpec spec) {
        SwitchPreview.Plan plan = spec.routing().strategy() == RoutingSpec.Strategy.RESERVED_IP ? reservedIp(app, spec)
                : loadBalancer(app, spec);
        for (Colour colour : Colour.values()) {
            List<DropletSpec> droplets = spec.droplets(colour);
            for (int index = 0; index < droplets.size(); index++) {
                droplet(app, colour, index, droplets.get(index).id());
            }
        }
        return plan == null ? null : liveColour(app, spec, plan);
    }

    /** The switch as it would go from the balancer as read, or null when it cannot be read. */
    private SwitchPreview.@Nullable Plan loadBalancer(String app, AppSpec spec) {
        String id = spec.loadBalancerId();
        try {
            LoadBalancer balancer = await(digitalOcean.getLoadBalancer(id));
            String what = "Load balancer " + id + " (\"" + balancer.name() + "\"" + (balancer.tag() == null ? ""
                    : ", targets tag '" + balancer.tag() + "'") + ")";
            switch (balancer.status()) {
                case "active" -> report.ok(what + " exists and is active.");
                case "new" -> report.warn(what + " is still being created (status new).",
                        "wait until DigitalOcean shows it active, then run the doctor again.");
                default -> report.problem(what + " is " + balancer.status() + ".", "look at it in the DigitalOcean "
                        + "control panel; a load balancer in error cannot take traffic.");
            }
            new BalancerChecks(preview, report).check(app, spec, balancer, LONGEST_CALL);
            return preview.ofBalancer(app, spec, balancer);
        }
        catch (DigitalOceanException ex) {
            report.problem(missing(ex, "There is no load balancer " + id, "load balancer " + id),
                    "set bluegreen.apps." + app + ".load-balancer-id to the id of the app's load balancer "
                            + "(doctl compute load-balancer list shows them).");
            return null;
        }
    }

    /** The switch as it would go from the reserved IP as read, or null when it cannot be read. */
    private SwitchPreview.@Nullable Plan reservedIp(String app, AppSpec spec) {
        String address = spec.routing().reservedIp();
        if (address == null || address.isBlank()) {
            report.problem(app + " uses the reserved-ip strategy but names no reserved IP.",
                    "set bluegreen.apps." + app + ".routing.reserved-ip to the app's reserved IP.");
            return null;
        }
        try {
            ReservedIp ip = await(digitalOcean.getReservedIp(address));
            report.ok("Reserved IP " + address + " exists" + (ip.locked() ? " (an action on it is in progress)"
                    : "") + ".");
            return preview.ofReservedIp(spec, ip);
        }
        catch (DigitalOceanException ex) {
            report.problem(missing(ex, "There is no reserved IP " + address, "reserved IP " + address),
                    "set bluegreen.apps." + app + ".routing.reserved-ip to a reserved IP of this account "
                            + "(doctl compute reserved-ip list shows them).");
            return null;
        }
    }

    private void droplet(String app, Colour colour, int index, long id) {
        try {
            Droplet droplet = await(digitalOcean.getDroplet(id));
            String what = "Droplet " + id + " (" + colour + ", \"" + droplet.name() + "\")";
            if ("active".equals(droplet.status())) {
                report.ok(what + " exists and is running.");
            }
            else {
                report.warn(what + " is " + droplet.status() + ".", "power it on before its colour takes traffic.");
            }
        }
        catch (DigitalOceanException ex) {
            report.problem(missing(ex, "There is no droplet " + id + " (" + colour + ")", "droplet " + id),
                    "set bluegreen.apps." + app + ".droplets." + colour + "[" + index + "].id to the id of a droplet "
                            + "of this account (doctl compute droplet list shows them).");
        }
    }

    private @Nullable Colour liveColour(String app, AppSpec spec, SwitchPreview.Plan plan) {
        Colour live = plan.live();
        if (live == null) {
            boolean reserved = spec.routing().strategy() == RoutingSpec.Strategy.RESERVED_IP;
            String attach = reserved ? "assign it to the live colour's first droplet: doctl compute reserved-ip-action "
                    + "assign " + spec.routing().reservedIp() + " " + spec.droplets(spec.initialLiveColour()).get(0).id()
                    : "attach the live colour's droplets: doctl compute load-balancer add-droplets "
                            + spec.loadBalancerId() + " --droplet-ids " + ids(spec, spec.initialLiveColour());
            if (plan.serving().size() == 2) {
                report.warn(plan.now() + ": both colours take traffic.", "if no deployment is "
                        + "switching now, a switch was cut short; the traffic-router instance that owns the app "
                        + "finishes it when it takes the app over, or at the app's next move.");
            }
            else {
                report.problem(plan.now() + ": no colour of " + app + " takes its traffic.", attach + ".");
            }
            return null;
        }
        report.ok(plan.now() + ": " + live + " is live, " + live.other() + " is idle.");
        if (live != spec.initialLiveColour()) {
            report.warn("The apps file says initial-live-colour: " + spec.initialLiveColour() + ", but " + live
                    + " is live.", "if the deploy-agent has never recorded a switch for " + app + " (a new setup), it "
                    + "would deploy to " + live + ", the live colour: set bluegreen.apps." + app
                    + ".initial-live-colour to " + live + ".");
        }
        return live;
    }

    private static String missing(DigitalOceanException ex, String notFound, String what) {
        if (ex.status() == 404) {
            return notFound + " in this DigitalOcean account.";
        }
        if (ex.status() == 403) {
            return "The token may not read " + what + " (403).";
        }
        return "Could not read " + what + ": " + ex.getMessage() + ".";
    }

    private static String ids(AppSpec spec, Colour colour) {
        return spec.droplets(colour).stream().map(droplet -> String.valueOf(droplet.id()))
                .collect(Collectors.joining(","));
    }

    /** A command line tool waits for each answer in turn; the client's timeout and retries bound the wait. */
    private static <T> T await(Mono<T> call) {
        T answer = call.block(LONGEST_CALL);
        if (answer == null) {
            throw new IllegalStateException("DigitalOcean answered with nothing");
        }
        return answer;
    }
}
