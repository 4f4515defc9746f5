package dev.bluegreen.sandbox.digitalocean;

import java.util.Set;

/**
 * How a load balancer checks its droplets, with DigitalOcean's defaults and allowed ranges.
 */
public record HealthCheck(String protocol, int port, String path, int checkIntervalSeconds,
        int responseTimeoutSeconds, int healthyThreshold, int unhealthyThreshold) {

    private static final Set<String> PROTOCOLS = Set.of("http", "https", "tcp");

    public static final HealthCheck DEFAULT = new HealthCheck("http", 80, "/", 10, 5, 3, 5);

    /**
     * @throws ApiException 422 naming the first field out of its documented range
     */
    public HealthCheck {
        if (!PROTOCOLS.contains(protocol)) {
            throw ApiException.unprocessable("health_check.protocol must be http, https or tcp, was " + protocol);
        }
        within("health_check.port", port, 1, 65_535);
        within("health_check.check_interval_seconds", checkIntervalSeconds, 3, 300);
        within("health_check.response_timeout_seconds", responseTimeoutSeconds, 3, 300);
        within("health_check.healthy_threshold", healthyThreshold, 2, 10);
        within("health_check.unhealthy_threshold", unhealthyThreshold, 2, 10);
    }

    private static void within(String field, int value, int min, int max) {
        if (value < min || value > max) {
            throw ApiException.unprocessable(field + " must be between " + min + " and " + max + ", was " + value);
        }
    }
}
