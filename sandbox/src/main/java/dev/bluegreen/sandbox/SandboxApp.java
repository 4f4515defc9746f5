package dev.bluegreen.sandbox;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import dev.bluegreen.events.Colour;
import dev.bluegreen.sandbox.loadbalancer.LoadBalancerProxy;
import dev.bluegreen.sandbox.loadbalancer.ReservedIpProxy;

import org.jspecify.annotations.Nullable;

/**
 * One app of a {@link Sandbox}: its name, its own load balancer on its own port (and reserved IP, in
 * {@link TrafficMode#RESERVED_IP}), and its own blue and green droplets. All apps share the sandbox's DigitalOcean
 * API, its token, its history, its SSH keys and the sample app's repository.
 */
public final class SandboxApp {

    private final String name;
    private final TrafficMode trafficMode;
    private final String loadBalancerId;
    private final LoadBalancerProxy balancer;
    private final @Nullable ReservedIpProxy reservedIpProxy;
    private final Map<Colour, List<SandboxDroplet>> droplets;

    SandboxApp(String name, TrafficMode trafficMode, String loadBalancerId, LoadBalancerProxy balancer,
            @Nullable ReservedIpProxy reservedIpProxy, Map<Colour, List<SandboxDroplet>> droplets) {
        this.name = name;
        this.trafficMode = trafficMode;
        this.loadBalancerId = loadBalancerId;
        this.balancer = balancer;
        this.reservedIpProxy = reservedIpProxy;
        this.droplets = Map.copyOf(droplets);
    }

    /** Its name in the apps file, and the start of its droplets' names and tags. */
    public String name() {
        return name;
    }

    public String loadBalancerId() {
        return loadBalancerId;
    }

    /** Where users reach the app: the balancer forwards to the droplets it targets now. */
    public URI loadBalancerUrl() {
        return balancer.url();
    }

    /** In {@link TrafficMode#LOAD_BALANCER_BY_TAG}, the tag the balancer targets: {@code <app>-live}. */
    public Optional<String> liveTag() {
        return trafficMode == TrafficMode.LOAD_BALANCER_BY_TAG ? Optional.of(liveTag(name)) : Optional.empty();
    }

    /** In {@link TrafficMode#RESERVED_IP}, the reserved IP's address, as the API names it. */
    public Optional<String> reservedIp() {
        return Optional.ofNullable(reservedIpProxy).map(ReservedIpProxy::ip);
    }

    /** In {@link TrafficMode#RESERVED_IP}, where users reach the reserved IP: it forwards to the droplet it holds. */
    public Optional<URI> reservedIpUrl() {
        return Optional.ofNullable(reservedIpProxy).map(ReservedIpProxy::url);
    }

    /** Where users reach the app: the reserved IP in {@link TrafficMode#RESERVED_IP}, else the load balancer. */
    public URI publicUrl() {
        return reservedIpUrl().orElseGet(this::loadBalancerUrl);
    }

    /**
     * How the history knows the users' way in: the reserved IP's address in {@link TrafficMode#RESERVED_IP}, else
     * the load balancer's id. Ask {@code history().commandsWhileServing(trafficEntryPointId())}: in reserved IP mode
     * the balancer stays on blue, unused, and would count blue as serving.
     */
    public String trafficEntryPointId() {
        return reservedIp().orElse(loadBalancerId);
    }

    /** The droplets of one colour, in the order of their ports. */
    public List<SandboxDroplet> droplets(Colour colour) {
        return droplets.get(colour);
    }

    /** The DigitalOcean ids of one colour's droplets, in the order of their ports. */
    public List<Long> dropletIds(Colour colour) {
        return droplets(colour).stream().map(SandboxDroplet::id).toList();
    }

    /** All its droplets, blue first. */
    public List<SandboxDroplet> droplets() {
        return Stream.of(Colour.values()).flatMap(colour -> droplets(colour).stream()).toList();
    }

    /**
     * The version each droplet of the colour runs, asked of its app directly ({@code GET /version}), bypassing the
     * load balancer; {@code "no answer (...)"} for a droplet whose app does not answer.
     */
    public List<String> versionsServed(Colour colour) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        return droplets(colour).stream().map(droplet -> version(client, droplet.httpUrl().resolve("/version")))
                .toList();
    }

    @Override
    public String toString() {
        return "SandboxApp[" + name + ", load balancer " + loadBalancerId + " at " + loadBalancerUrl() + "]";
    }

    static String liveTag(String appName) {
        return appName + "-live";
    }

    private static String version(HttpClient client, URI url) {
        try {
            HttpRequest request = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(5)).GET().build();
            return client.send(request, HttpResponse.BodyHandlers.ofString()).body().strip();
        } catch (IOException e) {
            return "no answer (" + e + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
