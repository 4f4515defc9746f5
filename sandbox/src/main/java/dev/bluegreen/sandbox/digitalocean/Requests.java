package dev.bluegreen.sandbox.digitalocean;

import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.type.LogicalType;

/**
 * Reads request bodies the way DigitalOcean does: a body that is not JSON is a 400, JSON of the wrong shape a 422
 * naming the field. Bodies are bound by Jackson to records with snake_case names ({@code droplet_ids} is
 * {@code dropletIds}); no value is coerced (a string where a number belongs is refused, as the API refuses it). Fields
 * a {@code PUT} leaves out take their defaults.
 */
final class Requests {

    private final JsonMapper mapper;
    private final JsonMapper bodies;

    Requests(JsonMapper mapper) {
        this.mapper = mapper;
        this.bodies = mapper.rebuild().propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                // DigitalOcean ignores fields it does not know, and clients send whole descriptions back
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .withCoercionConfig(LogicalType.Textual, strings -> strings
                        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
                .withCoercionConfig(LogicalType.Integer, numbers -> numbers
                        .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
                .withCoercionConfig(LogicalType.Boolean, booleans -> booleans
                        .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail))
                .build();
    }

    JsonNode object(byte[] body) {
        JsonNode node;
        try {
            node = mapper.readTree(body);
        } catch (JacksonException e) {
            throw ApiException.badRequest("error parsing request body");
        }
        if (node == null || node.isMissingNode()) {
            throw ApiException.badRequest("error parsing request body");
        }
        if (!node.isObject()) {
            throw ApiException.unprocessable("The request body must be a JSON object");
        }
        return node;
    }

    /** {@code {"droplet_ids":[...]}}. */
    List<Long> dropletIds(JsonNode body) {
        DropletIds ids = bind(body, DropletIds.class);
        if (ids.dropletIds() == null) {
            throw ApiException.unprocessable("droplet_ids must be an array of Droplet ids");
        }
        return dropletIdList(ids.dropletIds());
    }

    /** {@code {"resources":[{"resource_id":"123","resource_type":"droplet"}]}}: the droplet ids. */
    List<Long> taggedDroplets(JsonNode body) {
        List<Resource> resources = bind(body, Resources.class).resources();
        if (resources == null || resources.isEmpty()) {
            throw ApiException.unprocessable("resources must be a non-empty array of resources");
        }
        List<Long> ids = new ArrayList<>();
        for (Resource resource : resources) {
            if (resource == null || resource.resourceType() == null || resource.resourceId() == null) {
                throw ApiException.unprocessable("Each resource needs a resource_id and a resource_type");
            }
            if (!"droplet".equals(resource.resourceType())) {
                throw ApiException.unprocessable("The sandbox can only tag droplets, not a " + resource.resourceType());
            }
            try {
                ids.add(Long.parseLong(resource.resourceId()));
            } catch (NumberFormatException e) {
                throw ApiException.unprocessable("No Droplet has the id " + resource.resourceId());
            }
        }
        return ids;
    }

    /** {@code {"type":"assign",...}} or {@code {"type":"unassign"}}. */
    String reservedIpActionType(JsonNode body) {
        String type = bind(body, ReservedIpAction.class).type();
        if (!"assign".equals(type) && !"unassign".equals(type)) {
            throw ApiException.unprocessable("type must be assign or unassign, was " + type);
        }
        return type;
    }

    /** The {@code droplet_id} of an assign action. */
    long reservedIpDropletId(JsonNode body) {
        Long id = bind(body, ReservedIpAction.class).dropletId();
        if (id == null || id < 1) {
            throw ApiException.unprocessable("droplet_id must be the id of a Droplet");
        }
        return id;
    }

    /** The body of {@code PUT /v2/load_balancers/{id}}: a complete description, defaults for what is missing. */
    LoadBalancerSettings loadBalancer(JsonNode body) {
        LoadBalancerBody balancer = bind(body, LoadBalancerBody.class);
        if (balancer.name() == null || balancer.region() == null) {
            throw ApiException.unprocessable("name and region are required");
        }
        Firewall firewall = balancer.firewall() == null ? new Firewall(null, null) : balancer.firewall();
        return new LoadBalancerSettings(balancer.name(), balancer.region(),
                balancer.dropletIds() == null ? List.of() : dropletIdList(balancer.dropletIds()), balancer.tag(),
                orEmpty(balancer.forwardingRules()).stream().map(Requests::forwardingRule).toList(),
                healthCheck(balancer.healthCheck()), stickySessions(balancer.stickySessions()),
                or(balancer.redirectHttpToHttps(), false), or(balancer.enableProxyProtocol(), false),
                or(balancer.enableBackendKeepalive(), false),
                or(balancer.httpIdleTimeoutSeconds(), LoadBalancerSettings.DEFAULT_HTTP_IDLE_TIMEOUT_SECONDS),
                or(balancer.disableLetsEncryptDnsRecords(), false), or(balancer.sizeUnit(), 1),
                strings("firewall.deny", firewall.deny()), strings("firewall.allow", firewall.allow()));
    }

    private <T> T bind(JsonNode body, Class<T> type) {
        try {
            return bodies.treeToValue(body, type);
        } catch (DatabindException e) {
            throw ApiException.unprocessable(field(e) + " does not have the type the API expects");
        }
    }

    /** Where in the body binding failed, as the API names it: {@code forwarding_rules[0].entry_port}. */
    private static String field(DatabindException e) {
        StringBuilder path = new StringBuilder();
        for (JacksonException.Reference reference : e.getPath()) {
            if (reference.getPropertyName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(reference.getPropertyName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.isEmpty() ? "The request body" : path.toString();
    }

    private static ForwardingRule forwardingRule(@Nullable ForwardingRuleBody rule) {
        if (rule == null || rule.entryProtocol() == null || rule.targetProtocol() == null || rule.entryPort() == null
                || rule.targetPort() == null) {
            throw ApiException.unprocessable(
                    "Each forwarding rule needs entry_protocol, entry_port, target_protocol and target_port");
        }
        return new ForwardingRule(rule.entryProtocol(), rule.entryPort(), rule.targetProtocol(), rule.targetPort(),
                or(rule.certificateId(), ""), or(rule.tlsPassthrough(), false));
    }

    private static HealthCheck healthCheck(@Nullable HealthCheckBody check) {
        HealthCheck defaults = HealthCheck.DEFAULT;
        if (check == null) {
            return defaults;
        }
        return new HealthCheck(or(check.protocol(), defaults.protocol()), or(check.port(), defaults.port()),
                or(check.path(), defaults.path()),
                or(check.checkIntervalSeconds(), defaults.checkIntervalSeconds()),
                or(check.responseTimeoutSeconds(), defaults.responseTimeoutSeconds()),
                or(check.healthyThreshold(), defaults.healthyThreshold()),
                or(check.unhealthyThreshold(), defaults.unhealthyThreshold()));
    }

    private static StickySessions stickySessions(@Nullable StickySessionsBody sticky) {
        String type = sticky == null ? "none" : or(sticky.type(), "none");
        if (!"none".equals(type) && !"cookies".equals(type)) {
            throw ApiException.unprocessable("sticky_sessions.type must be cookies or none, was " + type);
        }
        if (sticky == null || "none".equals(type)) {
            return StickySessions.NONE;
        }
        return new StickySessions(type, or(sticky.cookieName(), "DO-LB"), or(sticky.cookieTtlSeconds(), 300));
    }

    private static List<Long> dropletIdList(List<@Nullable Long> ids) {
        for (Long id : ids) {
            if (id == null || id < 1) {
                throw ApiException.unprocessable("droplet_ids must be an array of Droplet ids, found " + id);
            }
        }
        return List.copyOf(ids);
    }

    private static List<String> strings(String field, @Nullable List<@Nullable String> values) {
        if (values != null && values.contains(null)) {
            throw ApiException.unprocessable(field + " must be an array of strings");
        }
        return values == null ? List.of() : List.copyOf(values);
    }

    private static <T> List<T> orEmpty(@Nullable List<T> list) {
        return list == null ? List.of() : list;
    }

    private static <T> T or(@Nullable T value, T fallback) {
        return value == null ? fallback : value;
    }

    private record DropletIds(@Nullable List<@Nullable Long> dropletIds) {
    }

    private record Resources(@Nullable List<@Nullable Resource> resources) {
    }

    private record Resource(@Nullable String resourceId, @Nullable String resourceType) {
    }

    private record ReservedIpAction(@Nullable String type, @Nullable Long dropletId) {
    }

    private record LoadBalancerBody(@Nullable String name, @Nullable String region,
            @Nullable List<@Nullable Long> dropletIds, @Nullable String tag,
            @Nullable List<@Nullable ForwardingRuleBody> forwardingRules, @Nullable HealthCheckBody healthCheck,
            @Nullable StickySessionsBody stickySessions, @Nullable Boolean redirectHttpToHttps,
            @Nullable Boolean enableProxyProtocol, @Nullable Boolean enableBackendKeepalive,
            @Nullable Integer httpIdleTimeoutSeconds, @Nullable Boolean disableLetsEncryptDnsRecords,
            @Nullable Integer sizeUnit, @Nullable Firewall firewall) {
    }

    private record ForwardingRuleBody(@Nullable String entryProtocol, @Nullable Integer entryPort,
            @Nullable String targetProtocol, @Nullable Integer targetPort, @Nullable String certificateId,
            @Nullable Boolean tlsPassthrough) {
    }

    private record HealthCheckBody(@Nullable String protocol, @Nullable Integer port, @Nullable String path,
            @Nullable Integer checkIntervalSeconds, @Nullable Integer responseTimeoutSeconds,
            @Nullable Integer healthyThreshold, @Nullable Integer unhealthyThreshold) {
    }

    private record StickySessionsBody(@Nullable String type, @Nullable String cookieName,
            @Nullable Integer cookieTtlSeconds) {
    }

    private record Firewall(@Nullable List<@Nullable String> deny, @Nullable List<@Nullable String> allow) {
    }
}
