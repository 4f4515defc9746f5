package dev.bluegreen.sandbox.digitalocean;

import java.time.Instant;
import java.util.List;

/**
 * A snapshot of a simulated load balancer. {@code dropletIds} are the droplets it targets now: the listed ones,
 * or in tag mode every droplet that carries the tag.
 */
public record LoadBalancer(String id, String ip, String status, Instant createdAt, String vpcUuid, String projectId,
        LoadBalancerSettings settings, List<Long> dropletIds) {

    public LoadBalancer {
        dropletIds = List.copyOf(dropletIds);
    }

    public String name() {
        return settings.name();
    }
}
