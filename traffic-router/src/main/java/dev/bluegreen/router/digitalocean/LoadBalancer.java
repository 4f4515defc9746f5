package dev.bluegreen.router.digitalocean;

import java.time.Duration;
import java.util.List;

import org.jspecify.annotations.Nullable;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The parts of a DigitalOcean load balancer the traffic-router needs.
 *
 * @param status {@code new}, {@code active} or {@code errored}
 * @param tag the droplet tag it targets, or null when it targets droplets by id
 * @param dropletIds the droplets it sends traffic to (in tag mode: those carrying the tag)
 * @param healthCheck how it decides that a droplet may take traffic, or null when it did not say
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record LoadBalancer(String id, String name, String status, @Nullable String tag,
        @JsonProperty("droplet_ids") List<Long> dropletIds,
        @JsonProperty("health_check") @Nullable HealthCheck healthCheck) {

    public LoadBalancer {
        tag = tag == null || tag.isBlank() ? null : tag;
        dropletIds = dropletIds == null ? List.of() : List.copyOf(dropletIds);
    }

    /**
     * How long a newly added droplet waits for its first traffic: {@code healthy_threshold} passing checks,
     * {@code check_interval_seconds} apart (DigitalOcean's defaults, 3 x 10 s, when the balancer did not say).
     */
    public Duration timeToHealthy() {
        HealthCheck check = healthCheck == null ? new HealthCheck(10, 3) : healthCheck;
        return Duration.ofSeconds((long) check.checkIntervalSeconds() * check.healthyThreshold());
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record HealthCheck(@JsonProperty("check_interval_seconds") int checkIntervalSeconds,
            @JsonProperty("healthy_threshold") int healthyThreshold) {

        public HealthCheck {
            checkIntervalSeconds = checkIntervalSeconds <= 0 ? 10 : checkIntervalSeconds;
            healthyThreshold = healthyThreshold <= 0 ? 3 : healthyThreshold;
        }
    }
}
