package dev.bluegreen.sandbox.digitalocean;

import java.util.Optional;

import org.jspecify.annotations.Nullable;

/**
 * A simulated reserved IP.
 *
 * @param ip its address, which is also its id
 * @param dropletId the droplet it points at now, or null when unassigned
 * @param locked whether an assign or unassign action is still in progress, refusing another
 */
public record ReservedIp(String ip, @Nullable Long dropletId, boolean locked, String region, String projectId) {

    public Optional<Long> droplet() {
        return Optional.ofNullable(dropletId);
    }
}
