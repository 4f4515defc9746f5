package dev.bluegreen.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import dev.bluegreen.events.Colour;
import dev.bluegreen.events.EnvironmentUnhealthy;
import dev.bluegreen.events.Envelope;
import dev.bluegreen.events.ProvisioningFailed;
import dev.bluegreen.events.RolledBack;
import dev.bluegreen.events.Topics;
import dev.bluegreen.events.TrafficSwitched;
import dev.bluegreen.sandbox.SandboxSettings;
import dev.bluegreen.testing.EventLog;
import dev.bluegreen.testing.KafkaFixture;
import dev.bluegreen.testing.ValidatingProxy;

/**
 * The whole pipeline on a real broker: the four services and the sandbox, driven over HTTP as a user would.
 * Each test leaves blue live, so the tests do not depend on their order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BlueGreenPipelineTest {

    private static final Duration OUTCOME = Duration.ofSeconds(90);

    @TempDir
    static Path work;

    private static LocalStack stack;
    private static EventLog events;
    private static GatewayClient gateway;
    private static ValidatingProxy api;
    private static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void startTheWholeSystem() throws Exception {
        stack = LocalStack.start(new LocalStackSettings(work, LocalStackSettings.Ports.ANY_FREE,
                KafkaFixture.bootstrapServers(), SandboxSettings.defaults().withWorkFolder(work.resolve("sandbox"))
                        .withAppName("pipeline-" + java.util.UUID.randomUUID().toString().substring(0, 8))
                        .withBusyWindow(LocalStack.BUSY_WINDOW), BlueGreenPipelineTest::validatedOnTheWay), line -> { });
        gateway = new GatewayClient(stack.gatewayUrl());
        events = EventLog.open(stack.bootstrapServers(), Topics.EVENTS.toArray(String[]::new));
    }

    /** The traffic-router talks to the sandbox's API through a proxy that checks every call against the spec. */
    private static URI validatedOnTheWay(URI sandboxApi) {
        api = new ValidatingProxy(sandboxApi);
        return URI.create(api.url());
    }

    @AfterAll
    static void stopIt() throws Exception {
        if (api != null) {
            api.close();
        }
        if (events != null) {
            events.close();
        }
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void aDeployRequestSwitchesTrafficToV2AndARollbackBringsV1Back() throws Exception {
        assertThat(balancerAnswers()).allMatch(answer -> answer.contains("v1"));

        String deployment = requestDeploy("v2");
        Envelope switched = events.awaitEvent(TrafficSwitched.class, deployment);
        TrafficSwitched event = switched.dataAs(TrafficSwitched.class);
        assertThat(event.from()).isEqualTo(Colour.BLUE);
        assertThat(event.to()).isEqualTo(Colour.GREEN);
        assertThat(balancerAnswers()).allMatch(answer -> answer.contains("v2"));

        String rollback = gateway.rollback(stack.sandbox().appName(), "test", "v2 is slow");
        RolledBack rolledBack = events.awaitEvent(RolledBack.class, rollback).dataAs(RolledBack.class);
        assertThat(rolledBack.to()).isEqualTo(Colour.BLUE);
        assertThat(balancerAnswers()).allMatch(answer -> answer.contains("v1"));
    }

    @Test
    void aDeployThatFailsItsHealthCheckNeverMovesTraffic() throws Exception {
        String deployment = requestDeploy("broken");

        EnvironmentUnhealthy unhealthy = events.awaitEvent(EnvironmentUnhealthy.class, deployment)
                .dataAs(EnvironmentUnhealthy.class);
        assertThat(unhealthy.colour()).isEqualTo(Colour.GREEN);
        assertThat(unhealthy.reason()).contains("503");
        assertThat(events.events()).noneMatch(e -> e.deploymentId().equals(deployment)
                && e.data() instanceof TrafficSwitched);
        assertThat(balancerAnswers()).allMatch(answer -> answer.contains("v1"));
    }

    @Test
    void aDeployStepThatExitsNonZeroFailsNamingTheStepAndLeavesTheLiveColourServing() throws Exception {
        String deployment = requestDeploy("no-such-ref");

        ProvisioningFailed failed = events.awaitEvent(ProvisioningFailed.class, deployment)
                .dataAs(ProvisioningFailed.class);
        assertThat(failed.step()).isEqualTo("fetch");
        assertThat(failed.exitCode()).isNotNull().isNotZero();
        assertThat(failed.colour()).isEqualTo(Colour.GREEN);
        assertThat(balancerAnswers()).allMatch(answer -> answer.contains("v1"));
    }

    @Test
    @Order(Integer.MAX_VALUE)
    void everyCallTheRouterMadeAndEveryAnswerTheSandboxGaveIsValidUnderDigitalOceansDescription() {
        assertThat(api.calls()).extracting(ValidatingProxy.Checked::method).contains("GET", "POST", "DELETE");
        assertThat(api.calls()).allSatisfy(call -> assertThat(call.problems())
                .as("%s %s answered %d", call.method(), call.path(), call.status()).isEmpty());
    }

    private String requestDeploy(String ref) throws IOException, InterruptedException {
        return gateway.deploy(stack.sandbox().appName(), ref, "test");
    }

    /** Several answers, so both droplets behind the balancer are asked. */
    private List<String> balancerAnswers() {
        return await().atMost(OUTCOME).until(() -> {
            List<String> answers = new java.util.ArrayList<>();
            for (int i = 0; i < 6; i++) {
                HttpResponse<String> response = http.send(
                        HttpRequest.newBuilder(URI.create(stack.sandbox().loadBalancerUrl() + "/")).build(),
                        HttpResponse.BodyHandlers.ofString());
                answers.add(response.statusCode() + " " + response.body());
            }
            return answers;
        }, answers -> answers.stream().allMatch(a -> a.startsWith("200")));
    }
}
