package dev.bluegreen.sandbox.digitalocean;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

/**
 * What a client sets on a load balancer, and so what {@code PUT /v2/load_balancers/{id}} replaces as a whole.
 * Droplets are targeted either by id ({@code dropletIds}, at most {@value #MAX_DROPLETS_BY_ID}) or by
 * {@code tag}, never both.
 */
public record LoadBalancerSettings(String name, String region, List<Long> dropletIds, @Nullable String tag,
        List<ForwardingRule> forwardingRules, HealthCheck healthCheck, StickySessions stickySessions,
        boolean redirectHttpToHttps, boolean enableProxyProtocol, boolean enableBackendKeepalive,
        int httpIdleTimeoutSeconds, boolean disableLetsEncryptDnsRecords, int sizeUnit, List<String> firewallDeny,
        List<String> firewallAllow) {

    public static final int MAX_DROPLETS_BY_ID = 10;
    public static final int DEFAULT_HTTP_IDLE_TIMEOUT_SECONDS = 60;

    /**
     * @throws ApiException 422 for settings DigitalOcean refuses
     */
    public LoadBalancerSettings {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(region, "region");
        dropletIds = List.copyOf(dropletIds.stream().distinct().toList());
        forwardingRules = List.copyOf(forwardingRules);
        firewallDeny = List.copyOf(firewallDeny);
        firewallAllow = List.copyOf(firewallAllow);
        if (name.isBlank()) {
            throw ApiException.unprocessable("name must not be blank");
        }
        if (tag != null && tag.isEmpty()) {
            tag = null;
        }
        if (tag != null && !dropletIds.isEmpty()) {
            throw ApiException.unprocessable("droplet_ids and tag are mutually exclusive");
        }
        if (dropletIds.size() > MAX_DROPLETS_BY_ID) {
            throw ApiException.unprocessable("A load balancer targets at most " + MAX_DROPLETS_BY_ID
                    + " Droplets by id; use a tag for more");
        }
        if (forwardingRules.isEmpty()) {
            throw ApiException.unprocessable("forwarding_rules must hold at least one rule");
        }
        if (httpIdleTimeoutSeconds < 30 || httpIdleTimeoutSeconds > 600) {
            throw ApiException.unprocessable(
                    "http_idle_timeout_seconds must be between 30 and 600, was " + httpIdleTimeoutSeconds);
        }
        if (sizeUnit < 1 || sizeUnit > 100) {
            throw ApiException.unprocessable("size_unit must be between 1 and 100, was " + sizeUnit);
        }
    }

    /** A balancer with DigitalOcean's defaults, forwarding HTTP on port 80 to the given droplets. */
    public static LoadBalancerSettings byDropletIds(String name, String region, List<Long> dropletIds) {
        return new LoadBalancerSettings(name, region, dropletIds, null, List.of(ForwardingRule.HTTP),
                HealthCheck.DEFAULT, StickySessions.NONE, false, false, false, DEFAULT_HTTP_IDLE_TIMEOUT_SECONDS,
                false, 1, List.of(), List.of());
    }

    /** A balancer with DigitalOcean's defaults, forwarding HTTP on port 80 to every droplet with the tag. */
    public static LoadBalancerSettings byTag(String name, String region, String tag) {
        return new LoadBalancerSettings(name, region, List.of(), tag, List.of(ForwardingRule.HTTP),
                HealthCheck.DEFAULT, StickySessions.NONE, false, false, false, DEFAULT_HTTP_IDLE_TIMEOUT_SECONDS,
                false, 1, List.of(), List.of());
    }

    public Optional<String> targetTag() {
        return Optional.ofNullable(tag);
    }

    /** The same balancer with another health check. */
    public LoadBalancerSettings withHealthCheck(HealthCheck check) {
        return new LoadBalancerSettings(name, region, dropletIds, tag, forwardingRules, check, stickySessions,
                redirectHttpToHttps, enableProxyProtocol, enableBackendKeepalive, httpIdleTimeoutSeconds,
                disableLetsEncryptDnsRecords, sizeUnit, firewallDeny, firewallAllow);
    }

    LoadBalancerSettings withDropletIds(List<Long> ids) {
        return new LoadBalancerSettings(name, region, ids, tag, forwardingRules, healthCheck, stickySessions,
                redirectHttpToHttps, enableProxyProtocol, enableBackendKeepalive, httpIdleTimeoutSeconds,
                disableLetsEncryptDnsRecords, sizeUnit, firewallDeny, firewallAllow);
    }
}
