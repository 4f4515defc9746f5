package dev.bluegreen.sandbox.loadbalancer;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import dev.bluegreen.sandbox.digitalocean.DigitalOceanSimulator;

/**
 * Which droplets a load balancer sends the next request to: those the simulator says it targets right now and
 * finds healthy, in round-robin order.
 */
final class Rotation {

    /** A droplet to proxy to. */
    record Backend(long dropletId, URI http) {
    }

    private final DigitalOceanSimulator simulator;
    private final String loadBalancerId;
    private final AtomicLong turn = new AtomicLong();

    Rotation(DigitalOceanSimulator simulator, String loadBalancerId) {
        this.simulator = simulator;
        this.loadBalancerId = loadBalancerId;
    }

    /** The droplets to try for one request, in order: the one whose turn it is first, then the others. */
    List<Backend> forNextRequest() {
        List<Backend> candidates = new ArrayList<>();
        for (long id : simulator.healthyDropletIdsOf(loadBalancerId)) {
            Optional<URI> http = simulator.httpOf(id);
            http.ifPresent(uri -> candidates.add(new Backend(id, uri)));
        }
        if (candidates.isEmpty()) {
            return List.of();
        }
        int first = (int) Math.floorMod(turn.getAndIncrement(), (long) candidates.size());
        List<Backend> ordered = new ArrayList<>(candidates.subList(first, candidates.size()));
        ordered.addAll(candidates.subList(0, first));
        return ordered;
    }
}
