package dev.bluegreen.sandbox.digitalocean;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.SimpleValidationReportFormat;
import com.atlassian.oai.validator.report.ValidationReport;

import dev.bluegreen.testing.DigitalOceanOpenApi;

/**
 * Every request these tests send and every answer the simulator gives is checked against DigitalOcean's own
 * OpenAPI description in {@code shared/digitalocean/openapi.v2.yaml}.
 */
class OpenApiConformanceTest {

    private static final String TOKEN = "dop_v1_conformance";
    private static final String RESOURCES = "{\"resources\":[{\"resource_id\":\"%d\",\"resource_type\":\"droplet\"}]}";

    private static OpenApiInteractionValidator validator;

    private final DigitalOceanSimulator simulator = new DigitalOceanSimulator();
    private final DigitalOceanApiServer api = DigitalOceanApiServer.start(simulator, TOKEN, 0);

    @BeforeAll
    static void readDigitalOceansDescription() {
        validator = DigitalOceanOpenApi.validator();
    }

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void loadBalancerAnswersMatchTheSpecification() {
        long blue = droplet("blue-1", "app:blue");
        long green = droplet("green-1", "app:green");
        String lb = simulator.addLoadBalancer("web", List.of(blue));
        simulator.addTaggedLoadBalancer("tagged", "app:green");
        simulator.addLoadBalancer("spare", List.of());

        assertConforms(call("GET", "/v2/load_balancers/" + lb, Map.of(), null), 200);
        assertConforms(call("GET", "/v2/load_balancers", Map.of("per_page", "2"), null), 200);
        assertConforms(call("GET", "/v2/load_balancers", Map.of("per_page", "2", "page", "2"), null), 200);
        assertConforms(call("GET", "/v2/load_balancers", Map.of(), null), 200);
        assertConforms(call("GET", "/v2/load_balancers/4de7ac8b-495b-4884-9a69-1050c6793cd6", Map.of(), null), 404);
        assertConforms(call("POST", "/v2/load_balancers/" + lb + "/droplets", Map.of(),
                "{\"droplet_ids\":[" + green + "]}"), 204);
        assertConforms(call("DELETE", "/v2/load_balancers/" + lb + "/droplets", Map.of(),
                "{\"droplet_ids\":[" + blue + "]}"), 204);
    }

    @Test
    void refusalsMatchTheSpecification() {
        long green = droplet("green-1", "app:green");
        String tagged = simulator.addTaggedLoadBalancer("tagged", "app:green");

        assertConforms(call("POST", "/v2/load_balancers/" + tagged + "/droplets", Map.of(),
                "{\"droplet_ids\":[" + green + "]}"), 422);
        assertConforms(call("POST", "/v2/load_balancers/" + tagged + "/droplets", Map.of(),
                "{\"droplet_ids\":[" + (green + 100) + "]}"), 422);
        assertConforms(call("DELETE", "/v2/load_balancers/4de7ac8b-495b-4884-9a69-1050c6793cd6/droplets", Map.of(),
                "{\"droplet_ids\":[" + green + "]}"), 404);
        assertConforms(call("GET", "/v2/droplets/" + (green + 100), Map.of(), null), 404);

        ApiCall unauthenticated = ApiCall.send(api.baseUrl(), null, "GET", "/v2/droplets", Map.of(), null);
        assertThat(unauthenticated.status()).isEqualTo(401);
        assertThat(validator.validateResponse("/v2/droplets", Request.Method.GET, response(unauthenticated))
                .getMessages()).isEmpty();
    }

    @Test
    void busyAndRateLimitedRefusalsMatchTheSpecification() {
        DigitalOceanSimulator strict = new DigitalOceanSimulator(SimulatorSettings.DEFAULTS
                .withBusyWindow(Duration.ofHours(1)).withRateLimits(3, 100));
        long blue = strict.addDroplet("blue-1", URI.create("http://127.0.0.1:9"), List.of());
        long green = strict.addDroplet("green-1", URI.create("http://127.0.0.1:9"), List.of());
        String lb = strict.addLoadBalancer("web", List.of(blue));
        try (DigitalOceanApiServer strictApi = DigitalOceanApiServer.start(strict, TOKEN, 0)) {
            String path = "/v2/load_balancers/" + lb + "/droplets";
            String body = "{\"droplet_ids\":[" + green + "]}";

            assertConforms(ApiCall.send(strictApi.baseUrl(), TOKEN, "POST", path, Map.of(), body), 204);
            assertConforms(ApiCall.send(strictApi.baseUrl(), TOKEN, "DELETE", path, Map.of(), body), 403);
            assertConforms(ApiCall.send(strictApi.baseUrl(), TOKEN, "GET", "/v2/droplets", Map.of(), null), 200);
            assertConforms(ApiCall.send(strictApi.baseUrl(), TOKEN, "GET", "/v2/droplets", Map.of(), null), 429);
        }
    }

    @Test
    void aPutThatReplacesTheBalancerMatchesTheSpecification() {
        long blue = droplet("blue-1", "app:blue");
        String lb = simulator.addLoadBalancer("web", List.of());
        String body = """
                {"name":"web","region":"nyc3","droplet_ids":[%d],
                 "forwarding_rules":[{"entry_protocol":"http","entry_port":80,"target_protocol":"http","target_port":8000}],
                 "health_check":{"protocol":"http","port":8000,"path":"/healthz","check_interval_seconds":3,
                                 "response_timeout_seconds":3,"healthy_threshold":2,"unhealthy_threshold":2},
                 "sticky_sessions":{"type":"none"},"http_idle_timeout_seconds":60}""".formatted(blue);

        assertConforms(call("PUT", "/v2/load_balancers/" + lb, Map.of(), body), 200);
    }

    @Test
    void accountAnswerMatchesTheSpecification() {
        assertConforms(call("GET", "/v2/account", Map.of(), null), 200);
    }

    @Test
    void dropletAnswersMatchTheSpecification() {
        long blue = droplet("blue-1", "app:blue");
        droplet("green-1", "app:green");
        droplet("green-2", "app:green");
        long withPrivateIp = simulator.addDroplet("green-3", URI.create("http://127.0.0.1:9"), List.of("app:green"),
                "10.10.0.3");

        assertConforms(call("GET", "/v2/droplets/" + blue, Map.of(), null), 200);
        assertConforms(call("GET", "/v2/droplets/" + withPrivateIp, Map.of(), null), 200);
        assertConforms(call("GET", "/v2/droplets", Map.of(), null), 200);
        assertConforms(call("GET", "/v2/droplets", Map.of("tag_name", "app:green", "per_page", "2"), null), 200);
        assertConforms(call("GET", "/v2/droplets", Map.of("tag_name", "app:green", "per_page", "2", "page", "2"),
                null), 200);
    }

    @Test
    void taggingAnswersMatchTheSpecification() {
        long blue = droplet("blue-1", "app:blue");
        simulator.addTag("live");

        assertConforms(call("POST", "/v2/tags/live/resources", Map.of(), RESOURCES.formatted(blue)), 204);
        assertConforms(call("DELETE", "/v2/tags/live/resources", Map.of(), RESOURCES.formatted(blue)), 204);
    }

    @Test
    void healthCheckMetricsMatchTheSpecification() {
        long blue = droplet("blue-1", "app:blue");
        long green = droplet("green-1", "app:green");
        String lb = simulator.addLoadBalancer("web", List.of(blue, green));
        simulator.recordHealthCheck(lb, blue, true);
        simulator.recordHealthCheck(lb, blue, true);
        long now = simulator.clock().instant().getEpochSecond();
        Map<String, String> window = Map.of("lb_id", lb, "start", String.valueOf(now - 300),
                "end", String.valueOf(now));

        assertConforms(call("GET", "/v2/monitoring/metrics/load_balancer/droplets_health_checks", window, null), 200);
        assertConforms(call("GET", "/v2/monitoring/metrics/load_balancer/droplets_health_checks",
                Map.of("lb_id", "4de7ac8b-495b-4884-9a69-1050c6793cd6", "start", "1636051668", "end", "1636051668"),
                null), 200);
    }

    @ParameterizedTest
    @EnumSource(HealthMetricsShape.class)
    void everyShapeOfHealthCheckMetricsMatchesTheSpecification(HealthMetricsShape shape) {
        long blue = droplet("blue-1", "app:blue");
        String lb = simulator.addLoadBalancer("web", List.of(blue));
        simulator.setHealthMetrics(lb, shape);
        simulator.recordHealthCheck(lb, blue, true);
        long now = simulator.clock().instant().getEpochSecond();

        assertConforms(call("GET", "/v2/monitoring/metrics/load_balancer/droplets_health_checks",
                Map.of("lb_id", lb, "start", String.valueOf(now - 900), "end", String.valueOf(now)), null),
                shape == HealthMetricsShape.NOT_FOUND ? 404 : 200);
    }

    @Test
    void reservedIpAndActionAnswersMatchTheSpecification() {
        TestClock clock = new TestClock();
        DigitalOceanSimulator withIps = new DigitalOceanSimulator(
                SimulatorSettings.DEFAULTS.withReservedIpActionDelay(Duration.ofSeconds(3)), clock);
        long blue = withIps.addDroplet("blue-1", URI.create("http://127.0.0.1:9"), List.of("app:blue"));
        long green = withIps.addDroplet("green-1", URI.create("http://127.0.0.1:9"), List.of("app:green"));
        withIps.addReservedIp("192.0.2.10", blue);
        withIps.addReservedIp("192.0.2.11", null);
        try (DigitalOceanApiServer ipApi = DigitalOceanApiServer.start(withIps, TOKEN, 0)) {
            String actions = "/v2/reserved_ips/192.0.2.10/actions";

            assertConforms(ApiCall.send(ipApi.baseUrl(), TOKEN, "GET", "/v2/reserved_ips/192.0.2.10", Map.of(), null),
                    200);
            assertConforms(ApiCall.send(ipApi.baseUrl(), TOKEN, "GET", "/v2/reserved_ips/192.0.2.11", Map.of(), null),
                    200);
            assertConforms(ApiCall.send(ipApi.baseUrl(), TOKEN, "GET", "/v2/reserved_ips", Map.of(), null), 200);
            assertConforms(ApiCall.send(ipApi.baseUrl(), TOKEN, "GET", "/v2/reserved_ips/192.0.2.99", Map.of(), null),
                    404);
            ApiCall assign = ApiCall.send(ipApi.baseUrl(), TOKEN, "POST", actions, Map.of(),
                    "{\"type\":\"assign\",\"droplet_id\":" + green + "}");
            assertConforms(assign, 201);
            long actionId = assign.json().get("action").get("id").asLong();
            assertConforms(ApiCall.send(ipApi.baseUrl(), TOKEN, "POST", actions, Map.of(), "{\"type\":\"unassign\"}"),
                    422);
            assertConforms(ApiCall.send(ipApi.baseUrl(), TOKEN, "GET", "/v2/actions/" + actionId, Map.of(), null),
                    200);
            clock.advance(Duration.ofSeconds(3));
            assertConforms(ApiCall.send(ipApi.baseUrl(), TOKEN, "GET", "/v2/actions/" + actionId, Map.of(), null),
                    200);
            assertConforms(ApiCall.send(ipApi.baseUrl(), TOKEN, "GET", actions + "/" + actionId, Map.of(), null),
                    200);
            assertConforms(ApiCall.send(ipApi.baseUrl(), TOKEN, "POST", actions, Map.of(), "{\"type\":\"unassign\"}"),
                    201);
            assertConforms(ApiCall.send(ipApi.baseUrl(), TOKEN, "GET", "/v2/actions/" + (actionId + 100), Map.of(),
                    null), 404);
        }
    }

    @Test
    void anInjectedServerErrorMatchesTheSpecification() {
        String lb = simulator.addLoadBalancer("web", List.of());
        simulator.faults().failNext(1);

        assertConforms(call("GET", "/v2/load_balancers/" + lb, Map.of(), null), 500);
    }

    @Test
    void theCheckCatchesAnAnswerThatLacksAFieldOrInventsOne() {
        long blue = droplet("blue-1", "app:blue");
        ApiCall call = call("GET", "/v2/droplets/" + blue, Map.of(), null);
        String body = call.response().body();

        String withoutNetworks = report(call, body.replace("\"networks\"", "\"nets\""));
        String withInventedField = report(call, body.replace("\"locked\"", "\"invented\":1,\"locked\""));

        assertThat(withoutNetworks).contains("missing required properties", "networks");
        assertThat(withInventedField).contains("not allowed", "invented");
    }

    private void assertConforms(ApiCall call, int expectedStatus) {
        assertThat(call.status()).as(call.method() + " " + call.path() + " answered " + call.response().body())
                .isEqualTo(expectedStatus);
        ValidationReport report = validator.validate(request(call), response(call));
        assertThat(report.getMessages()).as(call.method() + " " + call.path() + " " + call.query() + ":\n"
                + SimpleValidationReportFormat.getInstance().apply(report)).isEmpty();
    }

    private static String report(ApiCall call, String responseBody) {
        ValidationReport report = validator.validate(request(call),
                SimpleResponse.Builder.status(200).withContentType("application/json").withBody(responseBody).build());
        assertThat(report.hasErrors()).isTrue();
        return SimpleValidationReportFormat.getInstance().apply(report);
    }

    private static SimpleRequest request(ApiCall call) {
        SimpleRequest.Builder request = new SimpleRequest.Builder(call.method(), call.path());
        call.query().forEach(request::withQueryParam);
        if (call.authorization() != null) {
            request.withAuthorization(call.authorization());
        }
        if (call.body() != null) {
            request.withContentType("application/json").withBody(call.body());
        }
        return request.build();
    }

    private static SimpleResponse response(ApiCall call) {
        SimpleResponse.Builder response = SimpleResponse.Builder.status(call.status());
        call.response().headers().map().forEach(response::withHeader);
        if (!call.response().body().isEmpty()) {
            response.withBody(call.response().body());
        }
        return response.build();
    }

    private long droplet(String name, String tag) {
        return simulator.addDroplet(name, URI.create("http://127.0.0.1:9"), List.of(tag));
    }

    private ApiCall call(String method, String path, Map<String, String> query, String body) {
        return ApiCall.send(api.baseUrl(), TOKEN, method, path, query, body);
    }

}
