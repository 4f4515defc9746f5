package dev.bluegreen.gateway.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.kafka.config.KafkaListenerConfigUtils;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import reactor.core.Disposable;

import dev.bluegreen.events.Colour;
import dev.bluegreen.events.DropletHealth;
import dev.bluegreen.events.Envelope;
import dev.bluegreen.events.EnvironmentHealthy;
import dev.bluegreen.events.EnvironmentProvisioned;
import dev.bluegreen.events.Topics;
import dev.bluegreen.gateway.RunningGateway;
import dev.bluegreen.gateway.status.DeploymentProjection;
import dev.bluegreen.testing.EventLog;
import dev.bluegreen.testing.KafkaFixture;

/**
 * A subscriber that lost a gateway when it stopped (the dashboard, say) comes back as soon as the gateway answers
 * again: before the gateway has read the history again, and so before it holds the events the subscriber missed.
 */
class ResumeAfterRestartTest {

    private static final ParameterizedTypeReference<ServerSentEvent<String>> SSE = new ParameterizedTypeReference<>() {
    };

    @TempDir
    Path directory;

    @Test
    void aSubscriberThatResumesFromAGatewayThatJustStartedGetsWhatItMissedOnceTheHistoryIsRead() {
        String deployment = UUID.randomUUID().toString();
        Envelope seen = Envelope.of("deploy-agent", deployment,
                new EnvironmentProvisioned("shop", Colour.GREEN, "v9", "9b9b9b9", List.of(102L), 40_000));
        Envelope missed = Envelope.of("health-monitor", deployment, new EnvironmentHealthy("shop", Colour.GREEN,
                "v9", "9b9b9b9", List.of(new DropletHealth(102, true, 3, "200 in 6 ms")), 6_000));
        try (EventLog kafka = EventLog.open(KafkaFixture.bootstrapServers(), Topics.LIFECYCLE)) {
            kafka.publish(seen);
            kafka.publish(missed);
        }

        // The gateway's feed is held back, so that the subscriber surely comes while the history is not read yet.
        try (RunningGateway restarted = RunningGateway.start(directory, KafkaFixture.bootstrapServers(),
                "--spring.kafka.listener.auto-startup=false")) {
            List<ServerSentEvent<String>> resumed = new CopyOnWriteArrayList<>();
            Disposable subscription = restarted.webClient().get().uri("/api/events?app=shop")
                    .accept(MediaType.TEXT_EVENT_STREAM).header("Last-Event-ID", seen.id())
                    .retrieve().bodyToFlux(SSE).subscribe(resumed::add);
            try {
                Awaitility.await("the gateway took the subscriber").atMost(Duration.ofSeconds(30))
                        .until(() -> restarted.bean("subscribers", Subscribers.class).open() == 1);
                assertThat(restarted.bean("deploymentProjection", DeploymentProjection.class).isHistoryRead())
                        .isFalse();
                restarted.bean(KafkaListenerConfigUtils.KAFKA_LISTENER_ENDPOINT_REGISTRY_BEAN_NAME,
                        KafkaListenerEndpointRegistry.class).getListenerContainer(PipelineEventFeed.LISTENER_ID).start();

                Awaitility.await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                    assertThat(resumed).extracting(ServerSentEvent::id).contains(missed.id());
                    assertThat(resumed).extracting(ServerSentEvent::comment).filteredOn(Objects::nonNull)
                            .isNotEmpty();
                });
                assertThat(resumed).extracting(ServerSentEvent::comment).filteredOn(Objects::nonNull)
                        .first().isEqualTo("connected");
                assertThat(resumed).extracting(ServerSentEvent::id).doesNotContain(seen.id());
            } finally {
                subscription.dispose();
            }
        }
    }
}
