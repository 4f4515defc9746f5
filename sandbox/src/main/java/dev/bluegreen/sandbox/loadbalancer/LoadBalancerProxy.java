package dev.bluegreen.sandbox.loadbalancer;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.bluegreen.sandbox.digitalocean.DigitalOceanSimulator;
import dev.bluegreen.sandbox.digitalocean.LoadBalancer;
import dev.bluegreen.sandbox.loadbalancer.Rotation.Backend;

/**
 * A simulated load balancer's data plane: an HTTP reverse proxy on 127.0.0.1 that sends each request, round
 * robin, to one droplet the balancer targets at that moment and finds healthy. Beside it a {@link HealthChecker}
 * probes every targeted droplet with the balancer's {@code health_check}, so a newly attached droplet gets traffic
 * only after {@code healthy_threshold} passing checks, and one that fails {@code unhealthy_threshold} checks in a
 * row gets none. A droplet that refuses the connection is skipped for the next one; when no droplet is healthy or
 * none answers, the client gets 503. Every relayed answer names its droplet in {@value #DROPLET_HEADER}. Each
 * request is recorded in the simulator's {@link DigitalOceanSimulator#history() history}.
 */
public final class LoadBalancerProxy implements AutoCloseable {

    /** The response header naming the droplet that answered. */
    public static final String DROPLET_HEADER = "X-Sandbox-Droplet";

    private static final Logger log = LoggerFactory.getLogger(LoadBalancerProxy.class);

    private final Relay relay;
    private final HealthChecker checker;
    private final String loadBalancerId;

    private LoadBalancerProxy(Relay relay, HealthChecker checker, String loadBalancerId) {
        this.relay = relay;
        this.checker = checker;
        this.loadBalancerId = loadBalancerId;
    }

    /**
     * Starts proxying and health-checking for a load balancer of the simulator until {@link #close()}.
     *
     * @param port the port to bind on 127.0.0.1, or 0 for any free one
     * @throws IllegalArgumentException when the simulator has no such load balancer
     */
    public static LoadBalancerProxy start(DigitalOceanSimulator simulator, String loadBalancerId, int port) {
        LoadBalancer balancer = simulator.loadBalancer(loadBalancerId).orElseThrow(
                () -> new IllegalArgumentException("The simulator has no load balancer " + loadBalancerId));
        Rotation rotation = new Rotation(simulator, loadBalancerId);
        Relay relay = Relay.start("lb-" + balancer.name(), port, new Relay.Targets() {
            @Override
            public List<Backend> forNextRequest() {
                return rotation.forNextRequest();
            }

            @Override
            public Duration timeout() {
                return Duration.ofSeconds(simulator.loadBalancer(loadBalancerId)
                        .map(found -> found.settings().httpIdleTimeoutSeconds()).orElse(60));
            }
        }, "No droplet behind this load balancer is healthy.\n", simulator.history(), loadBalancerId);
        HealthChecker checker = HealthChecker.start(simulator, loadBalancerId, balancer.name());
        log.info("Load balancer {} is proxying at {}.", balancer.name(), relay.url());
        return new LoadBalancerProxy(relay, checker, loadBalancerId);
    }

    /** Where clients reach the load balancer, e.g. {@code http://127.0.0.1:41234}. */
    public URI url() {
        return relay.url();
    }

    public int port() {
        return relay.port();
    }

    public String loadBalancerId() {
        return loadBalancerId;
    }

    @Override
    public void close() {
        checker.close();
        relay.close();
    }
}
