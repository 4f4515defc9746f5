package dev.bluegreen.sandbox.digitalocean;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;

class DigitalOceanApiServerTest {

    private static final String TOKEN = "dop_v1_sandbox-token";

    private final TestClock clock = new TestClock();
    private DigitalOceanSimulator simulator = new DigitalOceanSimulator(SimulatorSettings.DEFAULTS, clock);
    private DigitalOceanApiServer api = DigitalOceanApiServer.start(simulator, TOKEN, 0);

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void refusesRequestsWithoutTheRightToken() {
        String lb = simulator.addLoadBalancer("web", List.of());

        for (ApiCall call : List.of(ApiCall.send(api.baseUrl(), null, "GET", "/v2/load_balancers/" + lb, Map.of(), null),
                ApiCall.send(api.baseUrl(), "wrong", "GET", "/v2/load_balancers/" + lb, Map.of(), null))) {
            assertThat(call.status()).isEqualTo(401);
            assertThat(call.json().get("id").asString()).isEqualTo("unauthorized");
            assertThat(call.json().get("message").asString()).isEqualTo("Unable to authenticate you");
        }
        assertThat(get("/v2/load_balancers/" + lb).status()).isEqualTo(200);
    }

    @Test
    void addingThenRemovingDropletsChangesTheBalancersDropletIds() {
        long blue = droplet("blue-1");
        long green = droplet("green-1");
        String lb = simulator.addLoadBalancer("web", List.of(blue));

        ApiCall added = call("POST", "/v2/load_balancers/" + lb + "/droplets", "{\"droplet_ids\":[" + green + "]}");
        assertThat(added.status()).isEqualTo(204);
        assertThat(added.response().body()).isEmpty();
        assertThat(dropletIds(lb)).containsExactly(blue, green);

        ApiCall removed = call("DELETE", "/v2/load_balancers/" + lb + "/droplets", "{\"droplet_ids\":[" + blue + "]}");
        assertThat(removed.status()).isEqualTo(204);
        assertThat(removed.response().body()).isEmpty();
        assertThat(dropletIds(lb)).containsExactly(green);
        assertThat(simulator.dropletIdsOf(lb)).containsExactly(green);
    }

    @Test
    void refusesAddingDropletsByIdToABalancerThatTargetsATag() {
        long droplet = droplet("green-1");
        String lb = simulator.addTaggedLoadBalancer("web", "app:blue");

        ApiCall call = call("POST", "/v2/load_balancers/" + lb + "/droplets", "{\"droplet_ids\":[" + droplet + "]}");

        assertThat(call.status()).isEqualTo(422);
        assertThat(call.json().get("id").asString()).isEqualTo("unprocessable_entity");
        assertThat(dropletIds(lb)).isEmpty();
    }

    @Test
    void answersAnUnknownBalancerWith404AndTheErrorBody() {
        ApiCall call = get("/v2/load_balancers/4de7ac8b-495b-4884-9a69-1050c6793cd6");

        assertThat(call.status()).isEqualTo(404);
        assertThat(call.json().get("id").asString()).isEqualTo("not_found");
        assertThat(call.json().get("message").asString()).isNotBlank();
        assertThat(call.json().get("request_id").asString()).isNotBlank();
        assertThat(call("POST", "/v2/load_balancers/4de7ac8b-495b-4884-9a69-1050c6793cd6/droplets",
                "{\"droplet_ids\":[1]}").status()).isEqualTo(404);
    }

    @Test
    void answersAnUnknownPathWith404AndTheErrorBody() {
        ApiCall call = get("/v2/kubernetes/clusters");

        assertThat(call.status()).isEqualTo(404);
        assertThat(call.json().get("id").asString()).isEqualTo("not_found");
    }

    @Test
    void everyAnswerCarriesRateLimitHeadersThatCountDown() {
        ApiCall first = get("/v2/droplets");
        ApiCall second = get("/v2/load_balancers/nope");

        assertThat(first.header("ratelimit-limit")).isEqualTo("5000");
        assertThat(first.header("ratelimit-remaining")).isEqualTo("4999");
        assertThat(second.header("ratelimit-remaining")).isEqualTo("4998");
        assertThat(Long.parseLong(first.header("ratelimit-reset")))
                .isEqualTo(clock.instant().plus(Duration.ofHours(1)).getEpochSecond());
    }

    @Test
    void answers429WithRetryAfterOnceTheMinuteIsSpentAndServesAgainAfterIt() {
        restart(SimulatorSettings.DEFAULTS.withRateLimits(2, 100));
        get("/v2/droplets");
        get("/v2/droplets");

        ApiCall refused = get("/v2/droplets");
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.json().get("id").asString()).isEqualTo("too_many_requests");
        assertThat(refused.header("retry-after")).isEqualTo("60");
        assertThat(refused.header("ratelimit-remaining")).isEqualTo("98");

        clock.advance(Duration.ofSeconds(61));
        assertThat(get("/v2/droplets").status()).isEqualTo(200);
    }

    @Test
    void refusesChangesToABalancerWhileItProcessesThePreviousOne() {
        restart(SimulatorSettings.DEFAULTS.withBusyWindow(Duration.ofSeconds(30)));
        long blue = droplet("blue-1");
        long green = droplet("green-1");
        String lb = simulator.addLoadBalancer("web", List.of(blue));
        call("POST", "/v2/load_balancers/" + lb + "/droplets", "{\"droplet_ids\":[" + green + "]}");

        ApiCall busy = call("DELETE", "/v2/load_balancers/" + lb + "/droplets", "{\"droplet_ids\":[" + blue + "]}");
        assertThat(busy.status()).isEqualTo(403);
        assertThat(busy.json().get("id").asString()).isEqualTo("forbidden");
        assertThat(busy.json().get("message").asString())
                .isEqualTo("Load Balancer can't be updated while it processes previous actions");
        assertThat(dropletIds(lb)).containsExactly(blue, green);

        clock.advance(Duration.ofSeconds(30));
        assertThat(call("DELETE", "/v2/load_balancers/" + lb + "/droplets", "{\"droplet_ids\":[" + blue + "]}")
                .status()).isEqualTo(204);
        assertThat(dropletIds(lb)).containsExactly(green);
    }

    @Test
    void answersABodyThatIsNotJsonWith400AndOneOfTheWrongShapeWith422() {
        String lb = simulator.addLoadBalancer("web", List.of());

        ApiCall notJson = call("POST", "/v2/load_balancers/" + lb + "/droplets", "droplet_ids=1");
        ApiCall wrongShape = call("POST", "/v2/load_balancers/" + lb + "/droplets", "{\"droplet_ids\":\"1\"}");

        assertThat(notJson.status()).isEqualTo(400);
        assertThat(notJson.json().get("id").asString()).isEqualTo("bad_request");
        assertThat(wrongShape.status()).isEqualTo(422);
        assertThat(wrongShape.json().get("id").asString()).isEqualTo("unprocessable_entity");
    }

    @Test
    void refusesAValueOfTheWrongTypeWith422NamingTheFieldAndChangesNothing() {
        String lb = simulator.addLoadBalancer("web", List.of());
        long droplet = droplet("web-1");

        ApiCall quotedId = call("POST", "/v2/load_balancers/" + lb + "/droplets",
                "{\"droplet_ids\":[\"" + droplet + "\"]}");
        ApiCall quotedPort = call("PUT", "/v2/load_balancers/" + lb, """
                {"name":"web","region":"nyc3","forwarding_rules":[{"entry_protocol":"http","entry_port":"80",
                 "target_protocol":"http","target_port":80}]}""");

        assertThat(quotedId.status()).isEqualTo(422);
        assertThat(quotedId.json().get("message").asString()).startsWith("droplet_ids[0] ");
        assertThat(quotedPort.status()).isEqualTo(422);
        assertThat(quotedPort.json().get("message").asString()).startsWith("forwarding_rules[0].entry_port ");
        assertThat(dropletIds(lb)).isEmpty();
    }

    @Test
    void refusesUnknownDropletsAndMoreThanTenById() {
        String lb = simulator.addLoadBalancer("web", List.of());
        StringBuilder eleven = new StringBuilder();
        for (int i = 0; i < 11; i++) {
            eleven.append(i == 0 ? "" : ",").append(droplet("web-" + i));
        }

        assertThat(call("POST", "/v2/load_balancers/" + lb + "/droplets", "{\"droplet_ids\":[99]}").status())
                .isEqualTo(422);
        assertThat(call("POST", "/v2/load_balancers/" + lb + "/droplets", "{\"droplet_ids\":[" + eleven + "]}")
                .status()).isEqualTo(422);
        assertThat(dropletIds(lb)).isEmpty();
    }

    @Test
    void taggingAndUntaggingMovesDropletsInAndOutOfATagBalancer() {
        long blue = droplet("blue-1");
        long green = droplet("green-1");
        String lb = simulator.addTaggedLoadBalancer("web", "live");
        String resources = "{\"resources\":[{\"resource_id\":\"%d\",\"resource_type\":\"droplet\"}]}";

        assertThat(call("POST", "/v2/tags/live/resources", resources.formatted(blue)).status()).isEqualTo(204);
        assertThat(dropletIds(lb)).containsExactly(blue);

        call("POST", "/v2/tags/live/resources", resources.formatted(green));
        call("DELETE", "/v2/tags/live/resources", resources.formatted(blue));
        assertThat(dropletIds(lb)).containsExactly(green);
        assertThat(call("POST", "/v2/tags/missing/resources", resources.formatted(blue)).status()).isEqualTo(404);
    }

    @Test
    void listsDropletsByTagOnePageAtATime() {
        long first = simulator.addDroplet("green-1", URI.create("http://127.0.0.1:1"), List.of("app:green"));
        simulator.addDroplet("blue-1", URI.create("http://127.0.0.1:2"), List.of("app:blue"));
        long second = simulator.addDroplet("green-2", URI.create("http://127.0.0.1:3"), List.of("app:green"));
        long third = simulator.addDroplet("green-3", URI.create("http://127.0.0.1:4"), List.of("app:green"));

        JsonNode page1 = get("/v2/droplets", Map.of("tag_name", "app:green", "per_page", "2")).json();
        JsonNode page2 = get("/v2/droplets", Map.of("tag_name", "app:green", "per_page", "2", "page", "2"))
                .json();

        assertThat(ids(page1.get("droplets"))).containsExactly(first, second);
        assertThat(page1.get("meta").get("total").asInt()).isEqualTo(3);
        assertThat(page1.get("links").get("pages").get("next").asString())
                .isEqualTo(api.baseUrl() + "/v2/droplets?page=2&per_page=2&tag_name=app%3Agreen");
        assertThat(ids(page2.get("droplets"))).containsExactly(third);
        assertThat(page2.get("links").get("pages").has("next")).isFalse();
        assertThat(get("/v2/droplets").json().get("links").isEmpty()).isTrue();
    }

    @Test
    void putReplacesTheWholeBalancerResettingWhatItLeavesOut() {
        long blue = droplet("blue-1");
        String lb = simulator.addLoadBalancer("web", List.of(blue));
        String withHealthCheck = """
                {"name":"web","region":"nyc3","droplet_ids":[%d],
                 "forwarding_rules":[{"entry_protocol":"http","entry_port":80,"target_protocol":"http","target_port":8000}],
                 "health_check":{"protocol":"http","port":8000,"path":"/healthz","check_interval_seconds":3,
                                 "response_timeout_seconds":3,"healthy_threshold":2,"unhealthy_threshold":2},
                 "http_idle_timeout_seconds":90}""".formatted(blue);
        String bare = """
                {"name":"web","region":"nyc3",
                 "forwarding_rules":[{"entry_protocol":"http","entry_port":80,"target_protocol":"http","target_port":8000}]}""";

        JsonNode custom = call("PUT", "/v2/load_balancers/" + lb, withHealthCheck).json().get("load_balancer");
        assertThat(custom.get("health_check").get("path").asString()).isEqualTo("/healthz");
        assertThat(custom.get("http_idle_timeout_seconds").asInt()).isEqualTo(90);

        ApiCall reset = call("PUT", "/v2/load_balancers/" + lb, bare);
        assertThat(reset.status()).isEqualTo(200);
        JsonNode balancer = reset.json().get("load_balancer");
        assertThat(balancer.get("health_check").get("path").asString()).isEqualTo("/");
        assertThat(balancer.get("health_check").get("check_interval_seconds").asInt()).isEqualTo(10);
        assertThat(balancer.get("http_idle_timeout_seconds").asInt()).isEqualTo(60);
        assertThat(ids(balancer.get("droplet_ids"))).isEmpty();
        assertThat(simulator.dropletIdsOf(lb)).isEmpty();
    }

    @Test
    void refusesAHealthCheckOutsideTheDocumentedRanges() {
        String lb = simulator.addLoadBalancer("web", List.of());
        String body = """
                {"name":"web","region":"nyc3",
                 "forwarding_rules":[{"entry_protocol":"http","entry_port":80,"target_protocol":"http","target_port":80}],
                 "health_check":{"healthy_threshold":1}}""";

        ApiCall call = call("PUT", "/v2/load_balancers/" + lb, body);

        assertThat(call.status()).isEqualTo(422);
        assertThat(call.json().get("message").asString()).contains("healthy_threshold");
    }

    @Test
    void reportsEachTargetedDropletsHealthCheckStatusAsAMetricSeries() {
        long blue = droplet("blue-1");
        long green = droplet("green-1");
        String lb = simulator.addLoadBalancer("web", List.of(blue, green));
        for (int i = 0; i < 3; i++) {
            simulator.recordHealthCheck(lb, blue, true);
            simulator.recordHealthCheck(lb, green, false);
        }
        long now = clock.instant().getEpochSecond();

        ApiCall metrics = get("/v2/monitoring/metrics/load_balancer/droplets_health_checks",
                Map.of("lb_id", lb, "start", String.valueOf(now - 60), "end", String.valueOf(now)));

        assertThat(metrics.status()).isEqualTo(200);
        JsonNode result = metrics.json().get("data").get("result");
        assertThat(result.size()).isEqualTo(2);
        assertThat(series(result, blue).get("values").get(0).get(0).asLong()).isEqualTo(now);
        assertThat(series(result, blue).get("values").get(0).get(1).asString()).isEqualTo("1");
        assertThat(series(result, green).get("values").get(0).get(1).asString()).isEqualTo("0");
        assertThat(get("/v2/monitoring/metrics/load_balancer/droplets_health_checks", Map.of("lb_id", lb))
                .status()).as("start and end are required").isEqualTo(400);
    }

    @Test
    void healthMetricsLabelledOtherwiseNameNoDropletIdButEachDropletsAddress() {
        long blue = droplet("blue-1");
        String lb = simulator.addLoadBalancer("web", List.of(blue));
        simulator.setHealthMetrics(lb, HealthMetricsShape.OTHER_LABELS);
        simulator.recordHealthCheck(lb, blue, true);

        JsonNode result = healthMetrics(lb, 60).json().get("data").get("result");

        assertThat(result.size()).isEqualTo(1);
        assertThat(result.get(0).get("metric").has("droplet_id")).isFalse();
        assertThat(result.get(0).get("metric").get("instance").asString()).isEqualTo("127.0.0.1:9");
        assertThat(result.get(0).get("values").size()).isEqualTo(1);
    }

    @Test
    void emptyHealthMetricsHaveNoSeriesAndMissingOnesAnswer404() {
        long blue = droplet("blue-1");
        String empty = simulator.addLoadBalancer("empty", List.of(blue));
        String missing = simulator.addLoadBalancer("missing", List.of(blue));
        simulator.setHealthMetrics(empty, HealthMetricsShape.EMPTY);
        simulator.setHealthMetrics(missing, HealthMetricsShape.NOT_FOUND);
        simulator.recordHealthCheck(empty, blue, true);

        ApiCall emptyCall = healthMetrics(empty, 60);
        ApiCall missingCall = healthMetrics(missing, 60);

        assertThat(emptyCall.status()).isEqualTo(200);
        assertThat(emptyCall.json().get("data").get("result").isEmpty()).isTrue();
        assertThat(missingCall.status()).isEqualTo(404);
        assertThat(missingCall.json().get("id").asString()).isEqualTo("not_found");
    }

    @Test
    void healthMetricsSampledMinutesApartShowOnlyTheSamplesOnMultiplesOfFiveMinutesHoweverStale() {
        long blue = droplet("blue-1");
        String lb = simulator.addLoadBalancer("web", List.of(blue));
        String other = simulator.addLoadBalancer("other", List.of());
        simulator.setHealthMetrics(lb, HealthMetricsShape.MINUTES_APART);
        long every = HealthMetricsShape.MINUTES_APART_SECONDS;
        // the test clock starts on a multiple of five minutes: blue passes just after it, and fails long after the next
        clock.advance(Duration.ofSeconds(1));
        checks(lb, blue, true, 3);
        long sampledAt = clock.instant().getEpochSecond() - 1 + every;
        clock.advance(Duration.ofSeconds(every + 100));
        checks(lb, blue, false, 5);

        JsonNode lastMinute = healthMetrics(lb, 60).json().get("data").get("result");
        JsonNode lastTenMinutes = healthMetrics(lb, 2 * every).json().get("data").get("result");

        assertThat(lastMinute.isEmpty()).as("no sample fell in the last minute").isTrue();
        JsonNode values = series(lastTenMinutes, blue).get("values");
        assertThat(values.size()).isEqualTo(1);
        assertThat(values.get(0).get(0).asLong()).isEqualTo(sampledAt);
        assertThat(values.get(0).get(1).asString()).as("passing when sampled, failing now").isEqualTo("1");
        assertThat(simulator.healthyDropletIdsOf(lb)).isEmpty();
        assertThat(simulator.healthMetricsOf(other)).as("a balancer without a shape of its own has the settings'")
                .isEqualTo(HealthMetricsShape.BY_DROPLET_ID);
    }

    private void checks(String lb, long droplet, boolean passed, int times) {
        for (int i = 0; i < times; i++) {
            simulator.recordHealthCheck(lb, droplet, passed);
        }
    }

    private ApiCall healthMetrics(String lb, long seconds) {
        long now = clock.instant().getEpochSecond();
        return get("/v2/monitoring/metrics/load_balancer/droplets_health_checks",
                Map.of("lb_id", lb, "start", String.valueOf(now - seconds), "end", String.valueOf(now)));
    }

    private static JsonNode series(JsonNode result, long dropletId) {
        for (JsonNode series : result) {
            if (series.get("metric").get("droplet_id").asString().equals(String.valueOf(dropletId))) {
                return series;
            }
        }
        throw new AssertionError("No series for droplet " + dropletId + " in " + result);
    }

    private void restart(SimulatorSettings settings) {
        api.close();
        simulator = new DigitalOceanSimulator(settings, clock);
        api = DigitalOceanApiServer.start(simulator, TOKEN, 0);
    }

    private long droplet(String name) {
        return simulator.addDroplet(name, URI.create("http://127.0.0.1:9"), List.of());
    }

    private List<Long> dropletIds(String lb) {
        ApiCall call = get("/v2/load_balancers/" + lb);
        assertThat(call.status()).isEqualTo(200);
        return ids(call.json().get("load_balancer").get("droplet_ids"));
    }

    private static List<Long> ids(JsonNode array) {
        return array.valueStream().map(node -> node.isObject() ? node.get("id").asLong() : node.asLong()).toList();
    }

    private ApiCall call(String method, String path, String body) {
        return call(method, path, Map.of(), body);
    }

    private ApiCall get(String path) {
        return get(path, Map.of());
    }

    private ApiCall get(String path, Map<String, String> query) {
        return call("GET", path, query, null);
    }

    private ApiCall call(String method, String path, Map<String, String> query, @Nullable String body) {
        return ApiCall.send(api.baseUrl(), TOKEN, method, path, query, body);
    }
}
