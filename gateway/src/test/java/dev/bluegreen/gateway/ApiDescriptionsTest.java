package dev.bluegreen.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.ValidationReport;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.web.reactive.result.method.annotation.RequestMappingHandlerMapping;
import org.yaml.snakeyaml.Yaml;

import dev.bluegreen.events.EventType;
import dev.bluegreen.events.Envelope;
import dev.bluegreen.events.Topics;
import dev.bluegreen.lifecycle.AppState;
import dev.bluegreen.lifecycle.ColourRecord;
import dev.bluegreen.lifecycle.Operation;
import dev.bluegreen.testing.KafkaFixture;

/** openapi.yaml and asyncapi.yaml, as the gateway serves them, against what the gateway and the contract really do. */
class ApiDescriptionsTest {

    @TempDir
    static Path directory;

    static RunningGateway gateway;
    static String openApi;
    static Map<String, Object> asyncApi;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void startGateway() {
        gateway = RunningGateway.start(directory, KafkaFixture.bootstrapServers());
        openApi = served("/openapi.yaml");
        asyncApi = new Yaml().load(served("/asyncapi.yaml"));
    }

    @AfterAll
    static void stopGateway() {
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void theOpenApiDocumentNamesEveryEndpointOfTheGatewayAndNoOther() {
        Map<String, Map<String, Object>> paths = (Map<String, Map<String, Object>>) new Yaml().<Map<String, Object>>load(
                openApi).get("paths");
        Set<String> documented = new TreeSet<>();
        paths.forEach((path, operations) -> operations.keySet().stream().filter(key -> !key.equals("parameters"))
                .forEach(method -> documented.add(method.toUpperCase() + " " + path)));

        Set<String> served = new TreeSet<>();
        gateway.bean("requestMappingHandlerMapping", RequestMappingHandlerMapping.class).getHandlerMethods().keySet().forEach(mapping ->
                mapping.getPatternsCondition().getPatterns().forEach(pattern ->
                        mapping.getMethodsCondition().getMethods().forEach(method ->
                                served.add(method + " " + pattern.getPatternString()))));

        assertThat(documented).isEqualTo(served);
    }

    @Test
    void theGatewaysRealAnswersMatchTheOpenApiDocument() {
        OpenApiInteractionValidator validator = OpenApiInteractionValidator.createForInlineApiSpecification(openApi)
                .build();
        String token = "Bearer " + RunningGateway.SHOP_TOKEN;
        String deploymentId = check(validator, post("/api/apps/shop/deployments", "{\"ref\":\"v2\"}", token), 202)
                .replaceAll(".*\"deploymentId\":\"([^\"]+)\".*", "$1");
        check(validator, post("/api/apps/shop/deployments", "{\"ref\":\"v2\"}", null), 401);
        check(validator, post("/api/apps/shop/deployments", "{\"requestedBy\":\"x\"}", token), 400);
        check(validator, post("/api/apps/blog/deployments", "{\"ref\":\"v2\"}", token), 404);
        check(validator, post("/api/apps/shop/rollbacks", "{\"reason\":\"slow\"}", token), 202);
        check(validator, post("/api/apps/shop/promotions", "{\"deploymentId\":\"" + deploymentId + "\"}", token), 409);
        check(validator, post("/api/apps/shop/deployments/unknown/cancel", "{}", token), 404);
        check(validator, post("/api/apps/shop/deployments/" + deploymentId + "/cancel",
                "{\"reason\":\"the acceptance tests failed\"}", token), 202);
        Awaitility.await().untilAsserted(() -> assertThat(get("/api/deployments/" + deploymentId).getStatus().value())
                .isEqualTo(200));
        check(validator, getChecked("/api/deployments/" + deploymentId), 200);
        check(validator, getChecked("/api/deployments/unknown"), 404);
        check(validator, getChecked("/api/apps"), 200);
        check(validator, getChecked("/api/apps/shop/status"), 200);
        check(validator, getChecked("/api/apps/wiki/status"), 200);
        check(validator, getChecked("/api/apps/shop/deployments?limit=3"), 200);
    }

    @Test
    @SuppressWarnings("unchecked")
    void theAsyncApiDocumentDescribesEveryEventOnItsTopicWithItsFields() {
        Map<String, Map<String, Object>> channels = (Map<String, Map<String, Object>>) asyncApi.get("channels");
        Map<String, Object> components = (Map<String, Object>) asyncApi.get("components");
        Map<String, Map<String, Object>> schemas = (Map<String, Map<String, Object>>) components.get("schemas");
        Map<String, Object> messages = (Map<String, Object>) components.get("messages");

        assertThat(channels.keySet()).containsExactlyInAnyOrderElementsOf(Topics.ALL);
        List<String> messageNames = new ArrayList<>(Arrays.stream(EventType.values()).map(EventType::wireName)
                .toList());
        messageNames.add("AppState");
        assertThat(messages.keySet()).containsExactlyInAnyOrderElementsOf(messageNames);
        for (EventType type : EventType.values()) {
            Map<String, Object> onTopic = (Map<String, Object>) channels.get(type.topic()).get("messages");
            assertThat(onTopic).as("messages of %s", type.topic()).containsKey(type.wireName());
            assertThat(fields(schemas, type.wireName())).as("fields of %s", type.wireName())
                    .containsExactlyInAnyOrderElementsOf(components(type.eventClass()));
        }
        assertThat(((Map<String, Object>) channels.get(Topics.APP_STATES).get("messages")).keySet())
                .containsExactly("AppState");
        assertThat(fields(schemas, "AppState")).containsExactlyInAnyOrderElementsOf(components(AppState.class));
        assertThat(fields(schemas, "ColourRecord")).containsExactlyInAnyOrderElementsOf(
                components(ColourRecord.class));
        assertThat(fields(schemas, "Operation")).containsExactlyInAnyOrderElementsOf(components(Operation.class));
        Set<String> envelopeFields = new HashSet<>(((Map<String, Object>) schemas.get("Envelope").get("properties"))
                .keySet());
        assertThat(envelopeFields).containsExactlyInAnyOrderElementsOf(Arrays.stream(Envelope.class
                .getRecordComponents()).map(c -> c.getName()).toList());
    }

    @SuppressWarnings("unchecked")
    private static Set<String> fields(Map<String, Map<String, Object>> schemas, String schema) {
        return ((Map<String, Object>) schemas.get(schema).get("properties")).keySet();
    }

    private static List<String> components(Class<?> type) {
        return Arrays.stream(type.getRecordComponents()).map(RecordComponent::getName).toList();
    }

    private static String check(OpenApiInteractionValidator validator, Exchange exchange, int status) {
        assertThat(exchange.result().getStatus().value()).as(exchange.request().getPath()).isEqualTo(status);
        String body = exchange.body();
        SimpleResponse.Builder response = SimpleResponse.Builder.status(status).withBody(body);
        exchange.result().getResponseHeaders().forEach((name, values) -> response.withHeader(name, values));
        // A request meant to be refused breaks the document on purpose: only its answer is checked.
        ValidationReport report = status / 100 == 2 ? validator.validate(exchange.request(), response.build())
                : validator.validateResponse(exchange.request().getPath(), exchange.request().getMethod(),
                        response.build());
        assertThat(report.getMessages()).as("%s %s answered %s", exchange.request().getMethod(),
                exchange.request().getPath(), body).isEmpty();
        return body;
    }

    private static Exchange post(String path, String json, String authorization) {
        var spec = gateway.http().post().uri(path).header("Content-Type", "application/json");
        SimpleRequest.Builder request = SimpleRequest.Builder.post(path).withContentType("application/json")
                .withBody(json);
        if (authorization != null) {
            spec = spec.header("Authorization", authorization);
            request.withAuthorization(authorization);
        }
        return new Exchange(request.build(), spec.bodyValue(json).exchange().expectBody(byte[].class).returnResult());
    }

    private static EntityExchangeResult<byte[]> get(String uri) {
        return gateway.reader().get().uri(uri).exchange().expectBody(byte[].class).returnResult();
    }

    private static Exchange getChecked(String uri) {
        String path = uri.contains("?") ? uri.substring(0, uri.indexOf('?')) : uri;
        SimpleRequest.Builder request = SimpleRequest.Builder.get(path)
                .withAuthorization("Bearer " + RunningGateway.READ_TOKEN);
        if (uri.contains("?")) {
            for (String pair : uri.substring(uri.indexOf('?') + 1).split("&")) {
                String[] parts = pair.split("=", 2);
                request.withQueryParam(parts[0], parts[1]);
            }
        }
        return new Exchange(request.build(), get(uri));
    }

    private static String served(String path) {
        return new String(get(path).getResponseBodyContent(), StandardCharsets.UTF_8);
    }

    private record Exchange(Request request, EntityExchangeResult<byte[]> result) {
        String body() {
            byte[] bytes = result.getResponseBodyContent();
            return bytes == null ? "" : new String(bytes, StandardCharsets.UTF_8);
        }
    }
}
