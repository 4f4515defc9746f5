package dev.bluegreen.sandbox.loadbalancer;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.bluegreen.sandbox.digitalocean.DigitalOceanSimulator;
import dev.bluegreen.sandbox.digitalocean.ReservedIp;
import dev.bluegreen.sandbox.loadbalancer.Rotation.Backend;

/**
 * A simulated reserved IP's data plane: an HTTP reverse proxy on 127.0.0.1 that sends every request to the droplet
 * the reserved IP points at that moment, so an assign action moves traffic as soon as it completes. With no
 * droplet (or one that does not answer) the client gets 503. Every relayed answer names its droplet in
 * {@value LoadBalancerProxy#DROPLET_HEADER}. Unlike a load balancer, a reserved IP checks no health.
 */
public final class ReservedIpProxy implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ReservedIpProxy.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final Relay relay;
    private final String ip;

    private ReservedIpProxy(Relay relay, String ip) {
        this.relay = relay;
        this.ip = ip;
    }

    /**
     * Starts proxying for a reserved IP of the simulator until {@link #close()}.
     *
     * @param port the port to bind on 127.0.0.1, or 0 for any free one
     * @throws IllegalArgumentException when the simulator has no such reserved IP
     */
    public static ReservedIpProxy start(DigitalOceanSimulator simulator, String ip, int port) {
        if (simulator.reservedIp(ip).isEmpty()) {
            throw new IllegalArgumentException("The simulator has no reserved IP " + ip);
        }
        Relay relay = Relay.start("reserved-ip-" + ip, port, new Relay.Targets() {
            @Override
            public List<Backend> forNextRequest() {
                Optional<Long> droplet = simulator.reservedIp(ip).flatMap(ReservedIp::droplet);
                return droplet.flatMap(id -> simulator.httpOf(id).map(http -> new Backend(id, http)))
                        .map(List::of).orElse(List.of());
            }

            @Override
            public Duration timeout() {
                return TIMEOUT;
            }
        }, "Reserved IP " + ip + " points at no droplet that answers.\n", simulator.history(), ip);
        log.info("Reserved IP {} is proxying at {}.", ip, relay.url());
        return new ReservedIpProxy(relay, ip);
    }

    /** Where clients reach the reserved IP, e.g. {@code http://127.0.0.1:41234}. */
    public URI url() {
        return relay.url();
    }

    public int port() {
        return relay.port();
    }

    public String ip() {
        return ip;
    }

    @Override
    public void close() {
        relay.close();
    }
}
