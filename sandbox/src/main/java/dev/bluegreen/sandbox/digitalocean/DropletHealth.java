package dev.bluegreen.sandbox.digitalocean;

import java.time.Instant;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

/**
 * What a load balancer's health check knows of one droplet it targets. A droplet becomes healthy after
 * {@code healthy_threshold} passing checks in a row and unhealthy after {@code unhealthy_threshold} failing ones; a
 * droplet just attached (or never checked) is not healthy and gets no traffic.
 *
 * @param consecutivePasses passing checks since the last failing one
 * @param consecutiveFailures failing checks since the last passing one
 * @param lastCheckedAt when the last check finished, or null before the first
 */
public record DropletHealth(long dropletId, boolean healthy, int consecutivePasses, int consecutiveFailures,
        @Nullable Instant lastCheckedAt) {

    public Optional<Instant> lastChecked() {
        return Optional.ofNullable(lastCheckedAt);
    }
}
