package dev.bluegreen.digitalocean;

import org.jspecify.annotations.Nullable;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * A reserved IP and the droplet it sends traffic to.
 *
 * @param droplet the droplet it is assigned to, or null when unassigned
 * @param locked whether an action on it (an assignment) is still in progress
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ReservedIp(String ip, @Nullable AssignedDroplet droplet, boolean locked) {

    /** The droplet id it points at, or null. */
    public @Nullable Long dropletId() {
        return droplet == null ? null : droplet.id();
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record AssignedDroplet(long id) {
    }
}
