package dev.bluegreen.sandbox.digitalocean;

import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The JSON bodies DigitalOcean answers with, field for field as its OpenAPI description names them. Fields the
 * sandbox has no real value for carry the plausible constants a fresh basic droplet in nyc3 would show.
 */
final class Representations {

    private static final Pattern IPV4 = Pattern.compile("^(\\d{1,3})(\\.\\d{1,3}){3}$");
    private static final String SIZE_SLUG = "s-1vcpu-1gb";

    private final JsonMapper mapper;

    Representations(JsonMapper mapper) {
        this.mapper = mapper;
    }

    static boolean isIpv4(String address) {
        return IPV4.matcher(address).matches();
    }

    ObjectNode error(String id, String message, String requestId) {
        ObjectNode error = mapper.createObjectNode();
        error.put("id", id);
        error.put("message", message);
        error.put("request_id", requestId);
        return error;
    }

    /** The sandbox's one account: every request with the sandbox's token is made as it. */
    ObjectNode account() {
        ObjectNode node = mapper.createObjectNode();
        node.put("droplet_limit", 25);
        node.put("floating_ip_limit", 5);
        node.put("email", "sandbox@bluegreen.invalid");
        node.put("name", "bluegreen sandbox");
        node.put("uuid", "5a0db0c3b1e6f1e0a6d7c2b4e5f60718293a4b5c");
        node.put("email_verified", true);
        node.put("status", "active");
        node.put("status_message", "");
        return node;
    }

    ObjectNode droplet(Droplet droplet, String vpcUuid) {
        ObjectNode node = mapper.createObjectNode();
        node.put("id", droplet.id());
        node.put("name", droplet.name());
        node.put("memory", 1024);
        node.put("vcpus", 1);
        node.put("disk", 25);
        ObjectNode disk = node.putArray("disk_info").addObject();
        disk.put("type", "local");
        disk.putObject("size").put("amount", 25).put("unit", "gib");
        node.put("locked", false);
        node.put("status", droplet.status());
        node.putNull("kernel");
        node.put("created_at", timestamp(droplet.createdAt()));
        ArrayNode features = node.putArray("features");
        droplet.privateAddress().ifPresent(ip -> features.add("private_networking"));
        node.putArray("backup_ids");
        node.putNull("next_backup_window");
        node.putArray("snapshot_ids");
        node.set("image", image(droplet.createdAt()));
        node.putArray("volume_ids");
        node.set("size", size());
        node.put("size_slug", SIZE_SLUG);
        node.set("networks", networks(droplet));
        node.set("region", region(droplet.region()));
        strings(node.putArray("tags"), droplet.tags());
        node.put("vpc_uuid", vpcUuid);
        return node;
    }

    ObjectNode loadBalancer(LoadBalancer balancer) {
        LoadBalancerSettings settings = balancer.settings();
        ObjectNode node = mapper.createObjectNode();
        node.put("id", balancer.id());
        node.put("name", settings.name());
        node.put("ip", balancer.ip());
        node.put("size_unit", settings.sizeUnit());
        node.put("algorithm", "round_robin");
        node.put("status", balancer.status());
        node.put("created_at", timestamp(balancer.createdAt()));
        ArrayNode rules = node.putArray("forwarding_rules");
        settings.forwardingRules().forEach(rule -> rules.add(forwardingRule(rule)));
        node.set("health_check", healthCheck(settings.healthCheck()));
        node.set("sticky_sessions", stickySessions(settings.stickySessions()));
        node.set("region", region(settings.region()));
        node.put("tag", settings.targetTag().orElse(""));
        ArrayNode ids = node.putArray("droplet_ids");
        balancer.dropletIds().forEach(ids::add);
        node.put("redirect_http_to_https", settings.redirectHttpToHttps());
        node.put("enable_proxy_protocol", settings.enableProxyProtocol());
        node.put("enable_backend_keepalive", settings.enableBackendKeepalive());
        node.put("http_idle_timeout_seconds", settings.httpIdleTimeoutSeconds());
        node.put("vpc_uuid", balancer.vpcUuid());
        node.put("project_id", balancer.projectId());
        node.put("disable_lets_encrypt_dns_records", settings.disableLetsEncryptDnsRecords());
        ObjectNode firewall = node.putObject("firewall");
        strings(firewall.putArray("deny"), settings.firewallDeny());
        strings(firewall.putArray("allow"), settings.firewallAllow());
        node.put("network", "EXTERNAL");
        node.put("network_stack", "IPV4");
        node.put("type", "REGIONAL");
        node.put("tls_cipher_policy", "DEFAULT");
        return node;
    }

    ObjectNode reservedIp(ReservedIp ip, @Nullable Droplet droplet, String vpcUuid) {
        ObjectNode node = mapper.createObjectNode();
        node.put("ip", ip.ip());
        node.set("region", region(ip.region()));
        if (droplet == null) {
            node.putNull("droplet");
        } else {
            node.set("droplet", droplet(droplet, vpcUuid));
        }
        node.put("locked", ip.locked());
        node.put("project_id", ip.projectId());
        return node;
    }

    ObjectNode action(Action action) {
        ObjectNode node = mapper.createObjectNode();
        node.put("id", action.id());
        node.put("status", action.status());
        node.put("type", action.type());
        node.put("started_at", timestamp(action.startedAt()));
        if (action.completedAt() == null) {
            node.putNull("completed_at");
        } else {
            node.put("completed_at", timestamp(action.completedAt()));
        }
        node.put("resource_id", action.resourceId());
        node.put("resource_type", action.resourceType());
        node.set("region", region(action.region()));
        node.put("region_slug", action.region());
        return node;
    }

    private ObjectNode forwardingRule(ForwardingRule rule) {
        ObjectNode node = mapper.createObjectNode();
        node.put("entry_protocol", rule.entryProtocol());
        node.put("entry_port", rule.entryPort());
        node.put("target_protocol", rule.targetProtocol());
        node.put("target_port", rule.targetPort());
        node.put("certificate_id", rule.certificateId());
        node.put("tls_passthrough", rule.tlsPassthrough());
        return node;
    }

    private ObjectNode healthCheck(HealthCheck check) {
        ObjectNode node = mapper.createObjectNode();
        node.put("protocol", check.protocol());
        node.put("port", check.port());
        node.put("path", check.path());
        node.put("check_interval_seconds", check.checkIntervalSeconds());
        node.put("response_timeout_seconds", check.responseTimeoutSeconds());
        node.put("healthy_threshold", check.healthyThreshold());
        node.put("unhealthy_threshold", check.unhealthyThreshold());
        return node;
    }

    private ObjectNode stickySessions(StickySessions sticky) {
        ObjectNode node = mapper.createObjectNode();
        node.put("type", sticky.type());
        if (sticky.cookieName() != null) {
            node.put("cookie_name", sticky.cookieName());
        }
        if (sticky.cookieTtlSeconds() != null) {
            node.put("cookie_ttl_seconds", sticky.cookieTtlSeconds());
        }
        return node;
    }

    private ObjectNode networks(Droplet droplet) {
        ObjectNode networks = mapper.createObjectNode();
        ArrayNode v4 = networks.putArray("v4");
        droplet.privateAddress().ifPresent(ip -> {
            ObjectNode network = v4.addObject();
            network.put("ip_address", ip);
            network.put("netmask", "255.255.0.0");
            network.put("type", "private");
        });
        String host = droplet.http().getHost();
        if (host != null && isIpv4(host)) {
            ObjectNode network = v4.addObject();
            network.put("ip_address", host);
            network.put("netmask", "255.0.0.0");
            network.put("gateway", host);
            network.put("type", "public");
        }
        networks.putArray("v6");
        return networks;
    }

    private ObjectNode image(Instant createdAt) {
        ObjectNode image = mapper.createObjectNode();
        image.put("id", 160_000_001);
        image.put("name", "24.04 (LTS) x64");
        image.put("distribution", "Ubuntu");
        image.put("slug", "ubuntu-24-04-x64");
        image.put("public", true);
        image.putArray("regions").add(DigitalOceanSimulator.REGION);
        image.put("created_at", timestamp(createdAt));
        image.put("type", "base");
        image.put("min_disk_size", 15);
        image.put("size_gigabytes", 2.36);
        image.put("description", "");
        image.putArray("tags");
        image.put("status", "available");
        image.put("error_message", "");
        return image;
    }

    private ObjectNode size() {
        ObjectNode size = mapper.createObjectNode();
        size.put("slug", SIZE_SLUG);
        size.put("memory", 1024);
        size.put("vcpus", 1);
        size.put("disk", 25);
        size.put("transfer", 1.0);
        size.put("price_monthly", 6.0);
        size.put("price_hourly", 0.00893);
        size.putArray("regions").add(DigitalOceanSimulator.REGION);
        size.put("available", true);
        size.put("description", "Basic");
        return size;
    }

    private ObjectNode region(String slug) {
        ObjectNode region = mapper.createObjectNode();
        region.put("name", "nyc3".equals(slug) ? "New York 3" : slug);
        region.put("slug", slug);
        strings(region.putArray("features"), List.of("backups", "ipv6", "metadata", "install_agent", "storage"));
        region.put("available", true);
        region.putArray("sizes").add(SIZE_SLUG);
        return region;
    }

    private static void strings(ArrayNode array, List<String> values) {
        values.forEach(array::add);
    }

    private static String timestamp(Instant instant) {
        return instant.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
    }
}
