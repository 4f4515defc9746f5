package dev.bluegreen.testing;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import dev.bluegreen.events.Colour;
import dev.bluegreen.events.DeployRequested;
import dev.bluegreen.events.DropletHealth;
import dev.bluegreen.events.Envelope;
import dev.bluegreen.events.EnvironmentHealthy;
import dev.bluegreen.events.Topics;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class EventLogTest {

    private final String deploymentId = UUID.randomUUID().toString();

    @Test
    void eventLogSeesEventsPublishedBeforeItOpened() {
        Envelope request = deployRequested("shop");
        try (EventLog before = EventLog.open(KafkaFixture.bootstrapServers(), Topics.LIFECYCLE)) {
            before.publish(request);
        }

        try (EventLog after = EventLog.open(KafkaFixture.bootstrapServers(), Topics.LIFECYCLE)) {
            assertThat(after.awaitEvent(DeployRequested.class, deploymentId).id()).isEqualTo(request.id());
        }
    }

    @Test
    void awaitingAnEventThatNeverComesFailsNamingTheEventsThatDid() {
        try (EventLog events = EventLog.open(KafkaFixture.bootstrapServers(), Topics.LIFECYCLE, Topics.DEPLOYMENT_LOGS)) {
            events.publish(deployRequested("shop"));
            events.awaitEvent(DeployRequested.class, deploymentId);

            assertThatThrownBy(() -> events.awaitEvent(EnvironmentHealthy.class, deploymentId, Duration.ofMillis(500)))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("No EnvironmentHealthy of deployment " + deploymentId)
                    .hasMessageContaining("deployment " + deploymentId + " from test: DeployRequested[app=shop, ref=main");
        }
    }

    @Test
    void awaitEventPicksTheFirstEventOfTheClassThatMatchesTheFilter() {
        try (EventLog events = EventLog.open(KafkaFixture.bootstrapServers(), Topics.LIFECYCLE, Topics.DEPLOYMENT_LOGS)) {
            events.publish(deployRequested("shop"));
            events.publish(Envelope.of("test", deploymentId,
                    new EnvironmentHealthy("blog", Colour.GREEN, "main", "abc123", List.of(new DropletHealth(101, true, 3, "200 OK")), 1200)));

            Envelope healthy = events.awaitEvent(EnvironmentHealthy.class, e -> e.subject().equals("blog"));

            assertThat(healthy.dataAs(EnvironmentHealthy.class).colour()).isEqualTo(Colour.GREEN);
            assertThatThrownBy(() -> events.awaitEvent(EnvironmentHealthy.class, e -> e.subject().equals("shop"),
                    Duration.ofMillis(300))).isInstanceOf(AssertionError.class);
        }
    }

    @Test
    void recordsThatAreNotEnvelopesAreKeptAsUnreadableWithTheirBytes() {
        String topic = "event-log-test-" + UUID.randomUUID();
        try (EventLog events = EventLog.open(KafkaFixture.bootstrapServers(), topic)) {
            events.publishRaw(topic, "shop", "not json".getBytes(StandardCharsets.UTF_8));

            await().atMost(Duration.ofSeconds(30)).until(() -> !events.unreadable().isEmpty());
            assertThat(events.unreadable()).singleElement().satisfies(record -> {
                assertThat(record.key()).isEqualTo("shop");
                assertThat(record.text()).isEqualTo("not json");
            });
            assertThat(events.events()).isEmpty();
        }
    }

    private Envelope deployRequested(String app) {
        return Envelope.of("test", deploymentId, new DeployRequested(app, "main", null, "alice"));
    }
}
