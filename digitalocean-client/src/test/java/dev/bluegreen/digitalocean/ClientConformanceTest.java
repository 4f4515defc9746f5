package dev.bluegreen.digitalocean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.web.reactive.function.client.WebClient;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.report.SimpleValidationReportFormat;
import com.atlassian.oai.validator.report.ValidationReport;

import dev.bluegreen.sandbox.digitalocean.DigitalOceanApiServer;
import dev.bluegreen.sandbox.digitalocean.DigitalOceanSimulator;
import dev.bluegreen.sandbox.digitalocean.RecordingProxy;
import dev.bluegreen.sandbox.digitalocean.RecordingProxy.Call;
import dev.bluegreen.testing.DigitalOceanOpenApi;
import reactor.core.publisher.Mono;

/** Every request the client sends is checked against DigitalOcean's own OpenAPI description. */
class ClientConformanceTest {

    private static final String TOKEN = "dop_v1_conformance";
    private static final Duration WAIT = Duration.ofSeconds(10);

    private static OpenApiInteractionValidator validator;

    private final DigitalOceanSimulator simulator = new DigitalOceanSimulator();
    private final DigitalOceanApiServer api = DigitalOceanApiServer.start(simulator, TOKEN, 0);
    private final RecordingProxy proxy = new RecordingProxy(api.baseUrl(), simulator);

    @BeforeAll
    static void readDigitalOceansDescription() {
        validator = DigitalOceanOpenApi.validator();
    }

    @AfterEach
    void stop() {
        proxy.close();
        api.close();
    }

    @Test
    void readingAddingAndRemovingSendWhatTheSpecificationAsksFor() {
        long blue = simulator.addDroplet("blue", URI.create("http://127.0.0.1:9"), List.of());
        long green = simulator.addDroplet("green", URI.create("http://127.0.0.1:9"), List.of());
        String id = simulator.addLoadBalancer("shop-lb", List.of(blue));
        DigitalOceanClient client = new DigitalOceanClient(WebClient.builder(),
                new DigitalOceanProperties(URI.create(proxy.url()), TOKEN, WAIT, null));

        client.getLoadBalancer(id).block(WAIT);
        client.addDroplets(id, List.of(green)).block(WAIT);
        client.removeDroplets(id, List.of(blue)).block(WAIT);

        assertThat(proxy.calls()).extracting(Call::method, Call::status)
                .containsExactly(tuple("GET", 200), tuple("POST", 204), tuple("DELETE", 204));
        assertThat(proxy.calls()).allSatisfy(call -> {
            ValidationReport report = validator.validateRequest(request(call));
            assertThat(report.getMessages()).as(call.method() + " " + call.path() + " " + call.body() + ":\n"
                    + SimpleValidationReportFormat.getInstance().apply(report)).isEmpty();
        });
    }

    @Test
    void taggingReservedIpsActionsAndHealthMetricsSendWhatTheSpecificationAsksFor() {
        long green = simulator.addDroplet("green", URI.create("http://127.0.0.1:9"), List.of("shop"));
        simulator.addTag("shop:live");
        DigitalOceanClient client = new DigitalOceanClient(WebClient.builder(),
                new DigitalOceanProperties(URI.create(proxy.url()), TOKEN, WAIT,
                        new DigitalOceanProperties.Retry(1, Duration.ofMillis(10), Duration.ofMillis(10))));

        // the simulator may not serve every one of these yet: only the requests are checked here
        client.tagDroplets("shop:live", List.of(green)).onErrorResume(error -> Mono.empty()).block(WAIT);
        client.untagDroplets("shop:live", List.of(green)).onErrorResume(error -> Mono.empty()).block(WAIT);
        client.getDroplet(green).onErrorResume(error -> Mono.empty()).block(WAIT);
        client.getAccount().onErrorResume(error -> Mono.empty()).block(WAIT);
        client.dropletHealth("4de7ac8b-495b-4884-9a69-1050c6793cd6", Instant.now().minusSeconds(60))
                .onErrorResume(error -> Mono.empty()).block(WAIT);
        client.getReservedIp("45.55.96.47").onErrorResume(error -> Mono.empty()).block(WAIT);
        client.assignReservedIp("45.55.96.47", green).onErrorResume(error -> Mono.empty()).block(WAIT);
        client.getAction(36804636L).onErrorResume(error -> Mono.empty()).block(WAIT);

        assertThat(proxy.calls()).hasSize(8).allSatisfy(call -> {
            ValidationReport report = validator.validateRequest(request(call));
            assertThat(report.getMessages()).as(call.method() + " " + call.path() + " " + call.body() + ":\n"
                    + SimpleValidationReportFormat.getInstance().apply(report)).isEmpty();
        });
    }

    @Test
    void theCheckCatchesARequestTheSpecificationRefuses() {
        Call withoutIds = new Call("POST", "/v2/load_balancers/4de7ac8b-495b-4884-9a69-1050c6793cd6/droplets",
                Map.of("Authorization", "Bearer " + TOKEN, "Content-Type", "application/json"),
                "{\"droplets\":[3164444]}", 204, List.of());

        assertThat(validator.validateRequest(request(withoutIds)).hasErrors()).isTrue();
    }


    private static SimpleRequest request(Call call) {
        SimpleRequest.Builder request = new SimpleRequest.Builder(call.method(), call.path());
        call.query().forEach(request::withQueryParam);
        call.headers().forEach(request::withHeader);
        if (!call.body().isEmpty()) {
            request.withBody(call.body());
        }
        return request.build();
    }
}
