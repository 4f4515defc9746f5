package dev.bluegreen.testing;

import java.util.UUID;

import dev.bluegreen.events.DeployRequested;
import dev.bluegreen.events.Envelope;
import dev.bluegreen.events.Topics;
import dev.bluegreen.kafka.KraftCluster;
import dev.bluegreen.testing.KafkaFixture.Kind;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class KafkaFixtureTest {

    @Test
    void fixtureGivesABrokerThatCarriesAnEnvelopeToAnEventLog() {
        String deploymentId = UUID.randomUUID().toString();
        Envelope request = Envelope.of("test", deploymentId, new DeployRequested("shop", "main", null, "alice"));

        try (EventLog events = EventLog.open(KafkaFixture.bootstrapServers(), Topics.LIFECYCLE)) {
            events.publish(request);

            assertThat(events.awaitEvent(DeployRequested.class, deploymentId)).isEqualTo(request);
        }
    }

    @Test
    void clusterCarriesEnvelopesToAnEventLogWhileOneOfItsThreeNodesIsStopped() {
        KraftCluster kafka = KafkaFixture.cluster();
        String deploymentId = UUID.randomUUID().toString();
        Envelope before = Envelope.of("test", deploymentId, new DeployRequested("shop", "main", null, "alice"));
        Envelope during = Envelope.of("test", deploymentId, new DeployRequested("shop", "v2", null, "alice"));

        try (EventLog events = EventLog.open(kafka.bootstrapServers(), Topics.LIFECYCLE)) {
            events.publish(before);
            events.awaitEvent(DeployRequested.class, deploymentId);
            kafka.stopNode(1);
            try {
                events.publish(during);

                assertThat(events.awaitEvent(DeployRequested.class, e -> e.equals(during))).isEqualTo(during);
            }
            finally {
                kafka.startNode(1);
            }
        }
        assertThat(KafkaFixture.cluster()).isSameAs(kafka);
        assertThat(kafka.size()).isEqualTo(3);
    }

    @Test
    void callingTheFixtureTwiceGivesTheSameBroker() {
        String first = KafkaFixture.bootstrapServers();

        assertThat(KafkaFixture.bootstrapServers()).isEqualTo(first);
    }

    @Test
    void anAddressInKafkaBootstrapServersWinsOverDocker() {
        assertThat(KafkaFixture.choose("kafka.example:9092", () -> true)).isEqualTo(Kind.EXTERNAL);
    }

    @Test
    void withoutAnAddressDockerIsUsedWhenAvailable() {
        assertThat(KafkaFixture.choose(null, () -> true)).isEqualTo(Kind.TESTCONTAINERS);
    }

    @Test
    void withoutAnAddressOrDockerTheBrokerRunsEmbedded() {
        assertThat(KafkaFixture.choose(null, () -> false)).isEqualTo(Kind.EMBEDDED);
    }
}
