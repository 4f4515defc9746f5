package dev.bluegreen.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.core.KafkaTemplate;

import dev.bluegreen.events.Colour;
import dev.bluegreen.events.Envelope;
import dev.bluegreen.events.EnvironmentProvisioned;
import dev.bluegreen.events.PipelineEvent;
import dev.bluegreen.events.ProvisioningFailed;
import dev.bluegreen.events.RolledBack;
import dev.bluegreen.events.SwitchFailed;
import dev.bluegreen.events.TrafficSwitched;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/** What a service publishes carries its deployment id into the next service's logs, and is counted for Prometheus. */
class DeploymentIdAndMetricsTest {

    private static ConfigurableApplicationContext service;
    private static TestService.Listener listener;
    private static KafkaTemplate<String, Envelope> kafka;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void startService() {
        service = TestService.start();
        listener = service.getBean(TestService.Listener.class);
        kafka = service.getBean(KafkaTemplate.class);
        await().atMost(Duration.ofSeconds(30)).until(() -> !service.getBean(KafkaListenerEndpointRegistry.class)
                .getListenerContainer("pipeline-test").getAssignedPartitions().isEmpty());
    }

    @AfterAll
    static void stop() {
        service.close();
    }

    @Test
    void theDeploymentIdTravelsAsAHeaderAndIsInTheLoggingContextWhileTheNextServiceHandlesTheEvent() {
        Envelope sent = publish("d-" + UUID.randomUUID(),
                new SwitchFailed("header-app", Colour.BLUE, Colour.GREEN, "the balancer said no"));

        await().atMost(Duration.ofSeconds(30)).until(() -> listener.saw(sent));
        TestService.Seen seen = listener.seen(sent);
        assertThat(seen.header()).isEqualTo(sent.deploymentId());
        assertThat(seen.loggedDeploymentId()).isEqualTo(sent.deploymentId());
    }

    @Test
    void anEnvelopePublishedWithoutTheHeaderStillPutsItsDeploymentIdInTheLoggingContext() {
        Envelope sent = Envelope.of("elsewhere", "d-" + UUID.randomUUID(),
                new SwitchFailed("no-header-app", Colour.BLUE, Colour.GREEN, "sent by a plain producer"));
        try (dev.bluegreen.testing.EventLog plain = dev.bluegreen.testing.EventLog
                .open(dev.bluegreen.testing.KafkaFixture.bootstrapServers(), sent.topic())) {
            plain.publish(sent);
            await().atMost(Duration.ofSeconds(30)).until(() -> listener.saw(sent));
        }
        assertThat(listener.seen(sent).header()).isNull();
        assertThat(listener.seen(sent).loggedDeploymentId()).isEqualTo(sent.deploymentId());
    }

    @Test
    void prometheusShowsDeploymentsByOutcomeDurationsAndRollbacksOfWhatTheServicePublished() {
        String app = "metrics-app";
        List<Long> droplets = List.of(1L);
        publish("d-1", new EnvironmentProvisioned(app, Colour.GREEN, "v2", "abc", droplets, 4000));
        publish("d-1", new TrafficSwitched(app, Colour.BLUE, Colour.GREEN, droplets, 1500));
        publish("d-2", new ProvisioningFailed(app, Colour.BLUE, "v3", "install failed", 1L, "install", 1, "..."));
        publish("d-3", new SwitchFailed(app, Colour.GREEN, Colour.BLUE, "the balancer said no"));
        publish("d-4", new RolledBack(app, Colour.GREEN, Colour.BLUE, droplets, 900));

        PrometheusMeterRegistry prometheus = service.getBean(PrometheusMeterRegistry.class);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(prometheus.scrape()).contains(
                "bluegreen_deployments_total{app=\"metrics-app\",outcome=\"provisioned\"} 1",
                "bluegreen_deployments_total{app=\"metrics-app\",outcome=\"switched\"} 1",
                "bluegreen_deployments_total{app=\"metrics-app\",outcome=\"provisioning_failed\"} 1",
                "bluegreen_deployments_total{app=\"metrics-app\",outcome=\"switch_failed\"} 1",
                "bluegreen_provisioning_duration_seconds_sum{app=\"metrics-app\"} 4.0",
                "bluegreen_switch_duration_seconds_sum{app=\"metrics-app\"} 1.5",
                "bluegreen_rollbacks_total{app=\"metrics-app\"} 1"));
    }

    private static Envelope publish(String deploymentId, PipelineEvent event) {
        Envelope envelope = Envelope.of("test", deploymentId, event);
        kafka.send(envelope.topic(), envelope.subject(), envelope).join();
        return envelope;
    }
}
