package dev.bluegreen.router.digitalocean;

import java.util.List;

import org.jspecify.annotations.Nullable;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The parts of a DigitalOcean load balancer the traffic-router needs.
 *
 * @param status {@code new}, {@code active} or {@code errored}
 * @param tag the droplet tag it targets, or null when it targets droplets by id
 * @param dropletIds the droplets it sends traffic to
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record LoadBalancer(String id, String name, String status, @Nullable String tag,
        @JsonProperty("droplet_ids") List<Long> dropletIds) {

    public LoadBalancer {
        tag = tag == null || tag.isBlank() ? null : tag;
        dropletIds = dropletIds == null ? List.of() : List.copyOf(dropletIds);
    }
}
