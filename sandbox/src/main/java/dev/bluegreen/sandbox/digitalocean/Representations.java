package dev.bluegreen.sandbox.digitalocean;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The JSON bodies DigitalOcean answers with, field for field as its OpenAPI description names them: records written
 * by Jackson with snake_case names ({@code vpcUuid} is {@code vpc_uuid}). Fields the sandbox has no real value for
 * carry the plausible constants a fresh basic droplet in nyc3 would show; a {@code null} component is written as
 * {@code null}, as DigitalOcean writes it, unless its record leaves empty fields out.
 */
final class Representations {

    private static final Pattern IPV4 = Pattern.compile("^(\\d{1,3})(\\.\\d{1,3}){3}$");
    private static final String SIZE_SLUG = "s-1vcpu-1gb";
    private static final List<String> REGION_FEATURES = List.of("backups", "ipv6", "metadata", "install_agent",
            "storage");

    private final JsonMapper mapper;

    Representations(JsonMapper mapper) {
        this.mapper = mapper.rebuild().propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE).build();
    }

    static boolean isIpv4(String address) {
        return IPV4.matcher(address).matches();
    }

    ObjectNode error(String id, String message, String requestId) {
        return tree(new ErrorBody(id, message, requestId));
    }

    /** The sandbox's one account: every request with the sandbox's token is made as it. */
    ObjectNode account() {
        return tree(new Account(25, 5, "sandbox@bluegreen.invalid", "bluegreen sandbox",
                "5a0db0c3b1e6f1e0a6d7c2b4e5f60718293a4b5c", true, "active", ""));
    }

    ObjectNode droplet(Droplet droplet, String vpcUuid) {
        return tree(dropletBody(droplet, vpcUuid));
    }

    ObjectNode loadBalancer(LoadBalancer balancer) {
        LoadBalancerSettings settings = balancer.settings();
        return tree(new LoadBalancerBody(balancer.id(), settings.name(), balancer.ip(), settings.sizeUnit(),
                "round_robin", balancer.status(), timestamp(balancer.createdAt()), settings.forwardingRules(),
                settings.healthCheck(), settings.stickySessions(), region(settings.region()),
                settings.targetTag().orElse(""), balancer.dropletIds(), settings.redirectHttpToHttps(),
                settings.enableProxyProtocol(), settings.enableBackendKeepalive(), settings.httpIdleTimeoutSeconds(),
                balancer.vpcUuid(), balancer.projectId(), settings.disableLetsEncryptDnsRecords(),
                new Firewall(settings.firewallDeny(), settings.firewallAllow()), "EXTERNAL", "IPV4", "REGIONAL",
                "DEFAULT"));
    }

    ObjectNode reservedIp(ReservedIp ip, @Nullable Droplet droplet, String vpcUuid) {
        return tree(new ReservedIpBody(ip.ip(), region(ip.region()),
                droplet == null ? null : dropletBody(droplet, vpcUuid), ip.locked(), ip.projectId()));
    }

    ObjectNode action(Action action) {
        return tree(new ActionBody(action.id(), action.status(), action.type(), timestamp(action.startedAt()),
                action.completedAt() == null ? null : timestamp(action.completedAt()), action.resourceId(),
                action.resourceType(), region(action.region()), action.region()));
    }

    private DropletBody dropletBody(Droplet droplet, String vpcUuid) {
        return new DropletBody(droplet.id(), droplet.name(), 1024, 1, 25,
                List.of(new DiskInfo("local", new DiskSize(25, "gib"))), false, droplet.status(), null,
                timestamp(droplet.createdAt()),
                droplet.privateAddress().map(ip -> List.of("private_networking")).orElse(List.of()), List.of(), null,
                List.of(), image(droplet.createdAt()), List.of(), size(), SIZE_SLUG, networks(droplet),
                region(droplet.region()), droplet.tags(), vpcUuid);
    }

    private static Networks networks(Droplet droplet) {
        List<NetworkV4> v4 = new ArrayList<>();
        droplet.privateAddress().ifPresent(ip -> v4.add(new NetworkV4(ip, "255.255.0.0", null, "private")));
        String host = droplet.http().getHost();
        if (host != null && isIpv4(host)) {
            v4.add(new NetworkV4(host, "255.0.0.0", host, "public"));
        }
        return new Networks(v4, List.of());
    }

    private static Image image(Instant createdAt) {
        return new Image(160_000_001, "24.04 (LTS) x64", "Ubuntu", "ubuntu-24-04-x64", true,
                List.of(DigitalOceanSimulator.REGION), timestamp(createdAt), "base", 15, 2.36, "", List.of(),
                "available", "");
    }

    private static Size size() {
        return new Size(SIZE_SLUG, 1024, 1, 25, 1.0, 6.0, 0.00893, List.of(DigitalOceanSimulator.REGION), true,
                "Basic");
    }

    private static Region region(String slug) {
        return new Region("nyc3".equals(slug) ? "New York 3" : slug, slug, REGION_FEATURES, true, List.of(SIZE_SLUG));
    }

    private ObjectNode tree(Record body) {
        return mapper.valueToTree(body);
    }

    private static String timestamp(Instant instant) {
        return instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private record ErrorBody(String id, String message, String requestId) {
    }

    private record Account(int dropletLimit, int floatingIpLimit, String email, String name, String uuid,
            boolean emailVerified, String status, String statusMessage) {
    }

    private record DropletBody(long id, String name, int memory, int vcpus, int disk, List<DiskInfo> diskInfo,
            boolean locked, String status, @Nullable Object kernel, String createdAt, List<String> features,
            List<Long> backupIds, @Nullable Object nextBackupWindow, List<Long> snapshotIds, Image image,
            List<String> volumeIds, Size size, String sizeSlug, Networks networks, Region region, List<String> tags,
            String vpcUuid) {
    }

    private record DiskInfo(String type, DiskSize size) {
    }

    private record DiskSize(int amount, String unit) {
    }

    private record Networks(List<NetworkV4> v4, List<Object> v6) {
    }

    /** A private network has no gateway: the field is left out. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    private record NetworkV4(String ipAddress, String netmask, @Nullable String gateway, String type) {
    }

    /** @param isPublic {@code public}, which is a Java keyword */
    private record Image(long id, String name, String distribution, String slug,
            @JsonProperty("public") boolean isPublic, List<String> regions, String createdAt, String type,
            int minDiskSize, double sizeGigabytes, String description, List<String> tags, String status,
            String errorMessage) {
    }

    private record Size(String slug, int memory, int vcpus, int disk, double transfer, double priceMonthly,
            double priceHourly, List<String> regions, boolean available, String description) {
    }

    private record Region(String name, String slug, List<String> features, boolean available, List<String> sizes) {
    }

    private record LoadBalancerBody(String id, String name, String ip, int sizeUnit, String algorithm, String status,
            String createdAt, List<ForwardingRule> forwardingRules, HealthCheck healthCheck,
            StickySessions stickySessions, Region region, String tag, List<Long> dropletIds,
            boolean redirectHttpToHttps, boolean enableProxyProtocol, boolean enableBackendKeepalive,
            int httpIdleTimeoutSeconds, String vpcUuid, String projectId, boolean disableLetsEncryptDnsRecords,
            Firewall firewall, String network, String networkStack, String type, String tlsCipherPolicy) {
    }

    private record Firewall(List<String> deny, List<String> allow) {
    }

    private record ReservedIpBody(String ip, Region region, @Nullable DropletBody droplet, boolean locked,
            String projectId) {
    }

    private record ActionBody(long id, String status, String type, String startedAt, @Nullable String completedAt,
            long resourceId, String resourceType, Region region, String regionSlug) {
    }
}
