package dev.bluegreen.sandbox.digitalocean;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The API paths the sandbox serves, each answering as DigitalOcean documents it.
 */
final class Endpoints {

    /** A parsed request: its path parameters, query and body. */
    record Call(String method, List<String> pathParameters, Map<String, String> query, byte[] body, String baseUrl,
            String path) {
    }

    /** What to answer: a status and a JSON body, or no body at all. */
    record Answer(int status, @Nullable JsonNode body) {

        static Answer noContent() {
            return new Answer(204, null);
        }
    }

    private record Route(String method, Pattern path, Handler handler) {
    }

    @FunctionalInterface
    private interface Handler {
        Answer handle(Call call);
    }

    private final DigitalOceanSimulator simulator;
    private final JsonMapper mapper;
    private final Representations representations;
    private final Requests requests;
    private final List<Route> routes = new ArrayList<>();

    Endpoints(DigitalOceanSimulator simulator, JsonMapper mapper) {
        this.simulator = simulator;
        this.mapper = mapper;
        this.representations = new Representations(mapper);
        this.requests = new Requests(mapper);
        route("GET", "/v2/account", this::getAccount);
        route("GET", "/v2/load_balancers", this::listLoadBalancers);
        route("GET", "/v2/load_balancers/([^/]+)", this::getLoadBalancer);
        route("PUT", "/v2/load_balancers/([^/]+)", this::replaceLoadBalancer);
        route("POST", "/v2/load_balancers/([^/]+)/droplets", this::attachDroplets);
        route("DELETE", "/v2/load_balancers/([^/]+)/droplets", this::detachDroplets);
        route("GET", "/v2/droplets", this::listDroplets);
        route("GET", "/v2/droplets/([^/]+)", this::getDroplet);
        route("POST", "/v2/tags/([^/]+)/resources", this::tagResources);
        route("DELETE", "/v2/tags/([^/]+)/resources", this::untagResources);
        route("GET", "/v2/monitoring/metrics/load_balancer/droplets_health_checks", this::dropletsHealthChecks);
        route("GET", "/v2/reserved_ips", this::listReservedIps);
        route("GET", "/v2/reserved_ips/([^/]+)", this::getReservedIp);
        route("POST", "/v2/reserved_ips/([^/]+)/actions", this::reservedIpAction);
        route("GET", "/v2/reserved_ips/([^/]+)/actions/([^/]+)", this::getReservedIpAction);
        route("GET", "/v2/actions/([^/]+)", this::getAction);
    }

    /**
     * The answer to a request, or the methods the path does allow when it exists only for other methods.
     *
     * @throws ApiException 404 for a path the API does not have
     */
    Answer answer(String method, String path, Map<String, String> query, byte[] body, String baseUrl) {
        String trimmed = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        List<String> allowed = new ArrayList<>();
        for (Route route : routes) {
            Matcher matcher = route.path().matcher(trimmed);
            if (!matcher.matches()) {
                continue;
            }
            if (!route.method().equals(method)) {
                allowed.add(route.method());
                continue;
            }
            List<String> parameters = new ArrayList<>();
            for (int group = 1; group <= matcher.groupCount(); group++) {
                parameters.add(matcher.group(group));
            }
            return route.handler().handle(new Call(method, parameters, query, body, baseUrl, trimmed));
        }
        if (!allowed.isEmpty()) {
            throw new ApiException(405, "method_not_allowed", method + " is not allowed on " + trimmed
                    + "; use " + String.join(" or ", allowed));
        }
        throw ApiException.notFound("The resource you requested could not be found.");
    }

    private void route(String method, String path, Handler handler) {
        routes.add(new Route(method, Pattern.compile(path), handler));
    }

    /** Whoever holds the token: {@code bluegreen doctor} asks this to tell a refused token from a missing balancer. */
    private Answer getAccount(Call call) {
        return new Answer(200, wrapped("account", representations.account()));
    }

    private Answer listLoadBalancers(Call call) {
        List<LoadBalancer> all = simulator.loadBalancers();
        Paging paging = Paging.of(call.query());
        ObjectNode body = mapper.createObjectNode();
        ArrayNode items = body.putArray("load_balancers");
        paging.slice(all).forEach(balancer -> items.add(representations.loadBalancer(balancer)));
        paging.describe(body, all.size(), call.baseUrl() + call.path(), Map.of());
        return new Answer(200, body);
    }

    private Answer getLoadBalancer(Call call) {
        LoadBalancer balancer = simulator.loadBalancer(call.pathParameters().get(0))
                .orElseThrow(() -> ApiException.notFound("The resource you requested could not be found."));
        return new Answer(200, wrapped("load_balancer", representations.loadBalancer(balancer)));
    }

    private Answer replaceLoadBalancer(Call call) {
        LoadBalancerSettings settings = requests.loadBalancer(requests.object(call.body()));
        LoadBalancer balancer = simulator.replaceLoadBalancer(call.pathParameters().get(0), settings);
        return new Answer(200, wrapped("load_balancer", representations.loadBalancer(balancer)));
    }

    private Answer attachDroplets(Call call) {
        String lbId = call.pathParameters().get(0);
        simulator.dropletIdsOf(lbId); // an unknown balancer is a 404, whatever the body says
        simulator.attachDroplets(lbId, requests.dropletIds(requests.object(call.body())));
        return Answer.noContent();
    }

    private Answer detachDroplets(Call call) {
        String lbId = call.pathParameters().get(0);
        simulator.dropletIdsOf(lbId); // an unknown balancer is a 404, whatever the body says
        simulator.detachDroplets(lbId, requests.dropletIds(requests.object(call.body())));
        return Answer.noContent();
    }

    private Answer listDroplets(Call call) {
        Map<String, String> filters = new LinkedHashMap<>();
        String tag = call.query().get("tag_name");
        String name = call.query().get("name");
        String type = call.query().get("type");
        if (tag != null && (name != null || type != null)) {
            throw ApiException.unprocessable("tag_name cannot be combined with name or type");
        }
        List<Droplet> matching = simulator.droplets();
        if (tag != null) {
            filters.put("tag_name", tag);
            matching = simulator.dropletsTagged(tag);
        }
        if (name != null) {
            filters.put("name", name);
            matching = matching.stream().filter(d -> d.name().toLowerCase(Locale.ROOT)
                    .equals(name.toLowerCase(Locale.ROOT))).toList();
        }
        if (type != null) {
            filters.put("type", type);
            matching = "gpus".equals(type) ? List.of() : matching;
        }
        Paging paging = Paging.of(call.query());
        ObjectNode body = mapper.createObjectNode();
        ArrayNode items = body.putArray("droplets");
        paging.slice(matching).forEach(droplet -> items.add(representations.droplet(droplet, simulator.vpcUuid())));
        paging.describe(body, matching.size(), call.baseUrl() + call.path(), filters);
        return new Answer(200, body);
    }

    private Answer getDroplet(Call call) {
        Droplet droplet = dropletId(call.pathParameters().get(0)).flatMap(simulator::droplet)
                .orElseThrow(() -> ApiException.notFound("The resource you requested could not be found."));
        return new Answer(200, wrapped("droplet", representations.droplet(droplet, simulator.vpcUuid())));
    }

    private Answer tagResources(Call call) {
        simulator.tagDroplets(call.pathParameters().get(0), requests.taggedDroplets(requests.object(call.body())));
        return Answer.noContent();
    }

    private Answer untagResources(Call call) {
        simulator.untagDroplets(call.pathParameters().get(0), requests.taggedDroplets(requests.object(call.body())));
        return Answer.noContent();
    }

    /**
     * Per-droplet health as {@link DigitalOceanSimulator#healthMetricsOf} shapes it: DigitalOcean documents the
     * outline of the answer, not its labels nor how often it samples.
     */
    private Answer dropletsHealthChecks(Call call) {
        String lbId = required(call, "lb_id");
        long start = epochSeconds(call, "start");
        long end = epochSeconds(call, "end");
        if (end < start) {
            throw ApiException.badRequest("end must not be before start");
        }
        HealthMetricsShape shape = simulator.healthMetricsOf(lbId);
        if (shape == HealthMetricsShape.NOT_FOUND) {
            throw ApiException.notFound("The resource you requested could not be found.");
        }
        ObjectNode body = mapper.createObjectNode();
        body.put("status", "success");
        ObjectNode data = body.putObject("data");
        data.put("resultType", "matrix");
        ArrayNode result = data.putArray("result");
        if (simulator.loadBalancer(lbId).isEmpty() || shape == HealthMetricsShape.EMPTY) {
            return new Answer(200, body);
        }
        for (long dropletId : simulator.dropletIdsOf(lbId)) {
            List<long[]> samples = shape == HealthMetricsShape.MINUTES_APART
                    ? minutesApart(lbId, dropletId, start, end)
                    : simulator.healthHistory(lbId, dropletId, start, end);
            if (samples.isEmpty()) {
                continue;
            }
            ObjectNode series = result.addObject();
            ObjectNode labels = series.putObject("metric").put("lb_id", lbId);
            if (shape == HealthMetricsShape.OTHER_LABELS) {
                labels.put("instance", simulator.httpOf(dropletId).map(URI::getAuthority).orElse(""));
            } else {
                labels.put("droplet_id", String.valueOf(dropletId));
            }
            ArrayNode values = series.putArray("values");
            for (long[] sample : samples) {
                values.addArray().add(sample[0]).add(String.valueOf(sample[1]));
            }
        }
        return new Answer(200, body);
    }

    /** The samples on the multiples of {@value HealthMetricsShape#MINUTES_APART_SECONDS} s within the window. */
    private List<long[]> minutesApart(String lbId, long dropletId, long start, long end) {
        long every = HealthMetricsShape.MINUTES_APART_SECONDS;
        List<long[]> samples = new ArrayList<>();
        // no health is kept for longer than an hour: a wider window has nothing more to show
        long from = Math.max(start, end - 3_600);
        for (long second = -Math.floorDiv(-from, every) * every; second <= end; second += every) {
            long at = second;
            simulator.healthAt(lbId, dropletId, at).ifPresent(healthy -> samples.add(new long[] {at, healthy ? 1 : 0}));
        }
        return samples;
    }

    private Answer listReservedIps(Call call) {
        List<ReservedIp> all = simulator.reservedIps();
        Paging paging = Paging.of(call.query());
        ObjectNode body = mapper.createObjectNode();
        ArrayNode items = body.putArray("reserved_ips");
        paging.slice(all).forEach(ip -> items.add(reservedIp(ip)));
        paging.describe(body, all.size(), call.baseUrl() + call.path(), Map.of());
        return new Answer(200, body);
    }

    private Answer getReservedIp(Call call) {
        ReservedIp ip = simulator.reservedIp(call.pathParameters().get(0))
                .orElseThrow(() -> ApiException.notFound("The resource you requested could not be found."));
        return new Answer(200, wrapped("reserved_ip", reservedIp(ip)));
    }

    private Answer reservedIpAction(Call call) {
        String ip = call.pathParameters().get(0);
        if (simulator.reservedIp(ip).isEmpty()) {
            throw ApiException.notFound("The resource you requested could not be found.");
        }
        JsonNode body = requests.object(call.body());
        Action action = switch (requests.reservedIpActionType(body)) {
            case "assign" -> simulator.assignReservedIp(ip, requests.reservedIpDropletId(body));
            case "unassign" -> simulator.unassignReservedIp(ip);
            default -> throw new IllegalStateException("unreachable");
        };
        ObjectNode node = representations.action(action);
        node.put("project_id", simulator.reservedIp(ip).orElseThrow().projectId());
        return new Answer(201, wrapped("action", node));
    }

    private Answer getReservedIpAction(Call call) {
        String ip = call.pathParameters().get(0);
        ReservedIp reserved = simulator.reservedIp(ip)
                .orElseThrow(() -> ApiException.notFound("The resource you requested could not be found."));
        Action action = actionId(call.pathParameters().get(1)).flatMap(simulator::action)
                .filter(found -> "reserved_ip".equals(found.resourceType())
                        && found.resourceId() == simulator.reservedIpNumber(ip))
                .orElseThrow(() -> ApiException.notFound("The resource you requested could not be found."));
        ObjectNode node = representations.action(action);
        node.put("project_id", reserved.projectId());
        return new Answer(200, wrapped("action", node));
    }

    private Answer getAction(Call call) {
        Action action = actionId(call.pathParameters().get(0)).flatMap(simulator::action)
                .orElseThrow(() -> ApiException.notFound("The resource you requested could not be found."));
        return new Answer(200, wrapped("action", representations.action(action)));
    }

    private ObjectNode reservedIp(ReservedIp ip) {
        Droplet droplet = ip.droplet().flatMap(simulator::droplet).orElse(null);
        return representations.reservedIp(ip, droplet, simulator.vpcUuid());
    }

    private static String required(Call call, String name) {
        String value = call.query().get(name);
        if (value == null || value.isBlank()) {
            throw ApiException.badRequest(name + " is required");
        }
        return value;
    }

    private static long epochSeconds(Call call, String name) {
        String value = required(call, name);
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest(name + " must be a UNIX timestamp in seconds, was " + value);
        }
    }

    private static Optional<Long> actionId(String text) {
        return dropletId(text);
    }

    private ObjectNode wrapped(String key, ObjectNode value) {
        ObjectNode body = mapper.createObjectNode();
        body.set(key, value);
        return body;
    }

    private static Optional<Long> dropletId(String text) {
        try {
            return Optional.of(Long.parseLong(text));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
