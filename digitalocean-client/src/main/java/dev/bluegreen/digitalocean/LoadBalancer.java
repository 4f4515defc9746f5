package dev.bluegreen.digitalocean;

import java.time.Duration;
import java.util.List;

import org.jspecify.annotations.Nullable;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The parts of a DigitalOcean load balancer bluegreen reads.
 *
 * @param ip its public address, or null while it is being created
 * @param status {@code new}, {@code active} or {@code errored}
 * @param tag the droplet tag it targets, or null when it targets droplets by id
 * @param dropletIds the droplets it sends traffic to (in tag mode: those carrying the tag)
 * @param forwardingRules which ports it listens on and where on the droplets it sends the traffic
 * @param healthCheck how it decides that a droplet may take traffic, or null when it did not say
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record LoadBalancer(String id, String name, @Nullable String ip, String status, @Nullable String tag,
        @JsonProperty("droplet_ids") List<Long> dropletIds,
        @JsonProperty("forwarding_rules") List<ForwardingRule> forwardingRules,
        @JsonProperty("health_check") @Nullable HealthCheck healthCheck) {

    public LoadBalancer {
        ip = ip == null || ip.isBlank() ? null : ip;
        tag = tag == null || tag.isBlank() ? null : tag;
        dropletIds = dropletIds == null ? List.of() : List.copyOf(dropletIds);
        forwardingRules = forwardingRules == null ? List.of() : List.copyOf(forwardingRules);
    }

    /** The health check as the balancer runs it: DigitalOcean's defaults where it did not say. */
    public HealthCheck check() {
        return healthCheck == null ? HealthCheck.DEFAULT : healthCheck;
    }

    /**
     * How long after it was added a droplet that passes every check is sure to take traffic: the first check may
     * come up to one {@code check_interval_seconds} later, then {@code healthy_threshold} passing checks, that far
     * apart.
     */
    public Duration timeToServe() {
        HealthCheck check = check();
        return Duration.ofSeconds((long) check.checkIntervalSeconds() * (check.healthyThreshold() + 1));
    }

    /** The rule that takes HTTP on {@code entryPort}, if there is one. */
    private @Nullable ForwardingRule httpRule(int entryPort) {
        return forwardingRules.stream()
                .filter(rule -> "http".equals(rule.entryProtocol()) && rule.entryPort() == entryPort)
                .findFirst().orElse(null);
    }

    /** Where the balancer takes HTTP: {@code http://<ip>} on the entry port of its first HTTP rule, or null. */
    public @Nullable String httpAddress() {
        ForwardingRule rule = httpRule(80);
        if (rule == null) {
            rule = forwardingRules.stream().filter(candidate -> "http".equals(candidate.entryProtocol())).findFirst()
                    .orElse(null);
        }
        if (ip == null || rule == null) {
            return null;
        }
        return "http://" + (ip.contains(":") ? "[" + ip + "]" : ip) + (rule.entryPort() == 80 ? ""
                : ":" + rule.entryPort());
    }

    /**
     * One port the balancer listens on, and where it sends that traffic on the droplets.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ForwardingRule(@JsonProperty("entry_protocol") String entryProtocol,
            @JsonProperty("entry_port") int entryPort, @JsonProperty("target_protocol") String targetProtocol,
            @JsonProperty("target_port") int targetPort) {

        /** Such as "http 80 → http 80". */
        @Override
        public String toString() {
            return entryProtocol + " " + entryPort + " → " + targetProtocol + " " + targetPort;
        }
    }

    /**
     * @param protocol {@code http}, {@code https} or {@code tcp}
     * @param port the port on each droplet it checks
     * @param path the path it asks for (http and https)
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record HealthCheck(String protocol, int port, String path,
            @JsonProperty("check_interval_seconds") int checkIntervalSeconds,
            @JsonProperty("healthy_threshold") int healthyThreshold) {

        /** DigitalOcean's defaults: http on 80 asking for /, every 10 s, 3 passes to join. */
        static final HealthCheck DEFAULT = new HealthCheck("http", 80, "/", 10, 3);

        public HealthCheck {
            protocol = protocol == null || protocol.isBlank() ? "http" : protocol;
            port = port <= 0 ? 80 : port;
            path = path == null || path.isBlank() ? "/" : path;
            checkIntervalSeconds = checkIntervalSeconds <= 0 ? 10 : checkIntervalSeconds;
            healthyThreshold = healthyThreshold <= 0 ? 3 : healthyThreshold;
        }

        /** Such as "http on port 80, path /healthz, every 10 s, 3 passes to join". */
        @Override
        public String toString() {
            return protocol + " on port " + port + ("tcp".equals(protocol) ? "" : ", path " + path) + ", every "
                    + checkIntervalSeconds + " s, " + healthyThreshold + " passes to join";
        }
    }
}
