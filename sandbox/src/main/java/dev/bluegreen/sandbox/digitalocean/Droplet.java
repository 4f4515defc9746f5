package dev.bluegreen.sandbox.digitalocean;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

/**
 * A simulated droplet. {@code http} is sandbox-only: where the droplet's app really answers, so the load balancer
 * can proxy to it.
 *
 * @param privateIp the droplet's address on the VPC, when the sandbox gave it one
 */
public record Droplet(long id, String name, List<String> tags, String status, URI http, @Nullable String privateIp,
        String region, Instant createdAt) {

    public Droplet {
        tags = List.copyOf(tags);
    }

    public boolean hasTag(String tag) {
        return tags.contains(tag);
    }

    public Optional<String> privateAddress() {
        return Optional.ofNullable(privateIp);
    }

    Droplet withTags(List<String> newTags) {
        return new Droplet(id, name, newTags, status, http, privateIp, region, createdAt);
    }
}
