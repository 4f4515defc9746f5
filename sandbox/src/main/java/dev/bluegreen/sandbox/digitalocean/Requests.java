package dev.bluegreen.sandbox.digitalocean;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads request bodies the way DigitalOcean does: a body that is not JSON is a 400, JSON of the wrong shape a 422
 * naming the field. Fields a {@code PUT} leaves out take their defaults.
 */
final class Requests {

    private final JsonMapper mapper;

    Requests(JsonMapper mapper) {
        this.mapper = mapper;
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
        JsonNode ids = body.get("droplet_ids");
        if (ids == null || !ids.isArray()) {
            throw ApiException.unprocessable("droplet_ids must be an array of Droplet ids");
        }
        return dropletIdList(ids);
    }

    /** {@code {"resources":[{"resource_id":"123","resource_type":"droplet"}]}}: the droplet ids. */
    List<Long> taggedDroplets(JsonNode body) {
        JsonNode resources = body.get("resources");
        if (resources == null || !resources.isArray() || resources.isEmpty()) {
            throw ApiException.unprocessable("resources must be a non-empty array of resources");
        }
        List<Long> ids = new ArrayList<>();
        for (JsonNode resource : resources) {
            String type = text(resource, "resource_type", null);
            String id = text(resource, "resource_id", null);
            if (type == null || id == null) {
                throw ApiException.unprocessable("Each resource needs a resource_id and a resource_type");
            }
            if (!"droplet".equals(type)) {
                throw ApiException.unprocessable("The sandbox can only tag droplets, not a " + type);
            }
            try {
                ids.add(Long.parseLong(id));
            } catch (NumberFormatException e) {
                throw ApiException.unprocessable("No Droplet has the id " + id);
            }
        }
        return ids;
    }

    /** {@code {"type":"assign",...}} or {@code {"type":"unassign"}}. */
    String reservedIpActionType(JsonNode body) {
        String type = text(body, "type", null);
        if (!"assign".equals(type) && !"unassign".equals(type)) {
            throw ApiException.unprocessable("type must be assign or unassign, was " + type);
        }
        return type;
    }

    /** The {@code droplet_id} of an assign action. */
    long reservedIpDropletId(JsonNode body) {
        JsonNode id = body.get("droplet_id");
        if (id == null || !id.isIntegralNumber() || !id.canConvertToLong() || id.longValue() < 1) {
            throw ApiException.unprocessable("droplet_id must be the id of a Droplet");
        }
        return id.longValue();
    }

    /** The body of {@code PUT /v2/load_balancers/{id}}: a complete description, defaults for what is missing. */
    LoadBalancerSettings loadBalancer(JsonNode body) {
        String name = text(body, "name", null);
        String region = text(body, "region", null);
        if (name == null || region == null) {
            throw ApiException.unprocessable("name and region are required");
        }
        JsonNode ids = body.get("droplet_ids");
        List<Long> dropletIds = ids == null || ids.isNull() ? List.of() : dropletIdList(ids);
        JsonNode firewall = objectOrEmpty(body, "firewall");
        return new LoadBalancerSettings(name, region, dropletIds, text(body, "tag", null),
                list(body, "forwarding_rules", this::forwardingRule), healthCheck(objectOrEmpty(body, "health_check")),
                stickySessions(objectOrEmpty(body, "sticky_sessions")),
                bool(body, "redirect_http_to_https", false), bool(body, "enable_proxy_protocol", false),
                bool(body, "enable_backend_keepalive", false),
                integer(body, "http_idle_timeout_seconds", LoadBalancerSettings.DEFAULT_HTTP_IDLE_TIMEOUT_SECONDS),
                bool(body, "disable_lets_encrypt_dns_records", false), integer(body, "size_unit", 1),
                list(firewall, "deny", rule -> textValue("firewall.deny", rule)),
                list(firewall, "allow", rule -> textValue("firewall.allow", rule)));
    }

    private ForwardingRule forwardingRule(JsonNode rule) {
        String entryProtocol = text(rule, "entry_protocol", null);
        String targetProtocol = text(rule, "target_protocol", null);
        if (entryProtocol == null || targetProtocol == null || rule.get("entry_port") == null
                || rule.get("target_port") == null) {
            throw ApiException.unprocessable(
                    "Each forwarding rule needs entry_protocol, entry_port, target_protocol and target_port");
        }
        return new ForwardingRule(entryProtocol, integer(rule, "entry_port", 0), targetProtocol,
                integer(rule, "target_port", 0), text(rule, "certificate_id", ""), bool(rule, "tls_passthrough", false));
    }

    private HealthCheck healthCheck(JsonNode check) {
        HealthCheck defaults = HealthCheck.DEFAULT;
        return new HealthCheck(text(check, "protocol", defaults.protocol()), integer(check, "port", defaults.port()),
                text(check, "path", defaults.path()),
                integer(check, "check_interval_seconds", defaults.checkIntervalSeconds()),
                integer(check, "response_timeout_seconds", defaults.responseTimeoutSeconds()),
                integer(check, "healthy_threshold", defaults.healthyThreshold()),
                integer(check, "unhealthy_threshold", defaults.unhealthyThreshold()));
    }

    private StickySessions stickySessions(JsonNode sticky) {
        String type = text(sticky, "type", "none");
        if (!"none".equals(type) && !"cookies".equals(type)) {
            throw ApiException.unprocessable("sticky_sessions.type must be cookies or none, was " + type);
        }
        if ("none".equals(type)) {
            return StickySessions.NONE;
        }
        return new StickySessions(type, text(sticky, "cookie_name", "DO-LB"),
                integer(sticky, "cookie_ttl_seconds", 300));
    }

    private static List<Long> dropletIdList(JsonNode ids) {
        if (!ids.isArray()) {
            throw ApiException.unprocessable("droplet_ids must be an array of Droplet ids");
        }
        List<Long> result = new ArrayList<>();
        for (JsonNode id : ids) {
            if (!id.isIntegralNumber() || !id.canConvertToLong() || id.longValue() < 1) {
                throw ApiException.unprocessable("droplet_ids must be an array of Droplet ids, found " + id);
            }
            result.add(id.longValue());
        }
        return result;
    }

    private JsonNode objectOrEmpty(JsonNode parent, String field) {
        JsonNode node = parent.get(field);
        if (node == null || node.isNull()) {
            return mapper.createObjectNode();
        }
        if (!node.isObject()) {
            throw ApiException.unprocessable(field + " must be an object");
        }
        return node;
    }

    private static <T> List<T> list(JsonNode parent, String field, Function<JsonNode, T> element) {
        JsonNode node = parent.get(field);
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw ApiException.unprocessable(field + " must be an array");
        }
        List<T> result = new ArrayList<>();
        node.forEach(item -> result.add(element.apply(item)));
        return result;
    }

    private static @Nullable String text(JsonNode parent, String field, @Nullable String fallback) {
        JsonNode node = parent.get(field);
        if (node == null || node.isNull()) {
            return fallback;
        }
        return textValue(field, node);
    }

    private static String textValue(String field, JsonNode node) {
        if (!node.isString()) {
            throw ApiException.unprocessable(field + " must be a string");
        }
        return node.asString();
    }

    private static int integer(JsonNode parent, String field, int fallback) {
        JsonNode node = parent.get(field);
        if (node == null || node.isNull()) {
            return fallback;
        }
        if (!node.isIntegralNumber() || !node.canConvertToInt()) {
            throw ApiException.unprocessable(field + " must be an integer");
        }
        return node.intValue();
    }

    private static boolean bool(JsonNode parent, String field, boolean fallback) {
        JsonNode node = parent.get(field);
        if (node == null || node.isNull()) {
            return fallback;
        }
        if (!node.isBoolean()) {
            throw ApiException.unprocessable(field + " must be true or false");
        }
        return node.booleanValue();
    }
}
