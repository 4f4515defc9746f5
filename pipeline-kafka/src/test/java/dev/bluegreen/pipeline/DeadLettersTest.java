package dev.bluegreen.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;

import dev.bluegreen.events.DeployRequested;
import dev.bluegreen.events.Envelope;
import dev.bluegreen.events.Topics;
import dev.bluegreen.testing.EventLog;
import dev.bluegreen.testing.KafkaFixture;
import io.micrometer.core.instrument.MeterRegistry;

/** Records a listener cannot handle go to their topic's dead-letter topic, and the listener carries on. */
class DeadLettersTest {

    private static ConfigurableApplicationContext service;
    private static TestService.Listener listener;
    private static EventLog deadLetters;
    private static EventLog events;

    @BeforeAll
    static void startService() {
        service = TestService.start();
        listener = service.getBean(TestService.Listener.class);
        deadLetters = EventLog.open(KafkaFixture.bootstrapServers(),
                Topics.EVENTS.stream().map(topic -> topic + ".DLT").toArray(String[]::new));
        events = EventLog.open(KafkaFixture.bootstrapServers(), Topics.LIFECYCLE);
        await().atMost(Duration.ofSeconds(30)).until(() -> !service.getBean(KafkaListenerEndpointRegistry.class)
                .getListenerContainer("pipeline-test").getAssignedPartitions().isEmpty());
    }

    @AfterAll
    static void stop() {
        deadLetters.close();
        events.close();
        service.close();
    }

    @Test
    void theServiceCreatesEveryPipelineTopicAndItsDeadLetterTopicOnStart() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                KafkaFixture.bootstrapServers()))) {
            List<String> expected = new ArrayList<>(Topics.ALL);
            Topics.ALL.forEach(topic -> expected.add(topic + ".DLT"));
            assertThat(admin.listTopics().names().get()).containsAll(expected);
        }
    }

    @Test
    void garbageOnEveryEventTopicLandsInItsDeadLetterTopicWithItsOriginalBytesAndTheListenerCarriesOn() {
        String run = UUID.randomUUID().toString();
        List<Envelope> valid = new ArrayList<>();
        for (String topic : Topics.EVENTS) {
            events.publishRaw(topic, "shop", ("not an envelope " + run + " on " + topic)
                    .getBytes(StandardCharsets.UTF_8));
            Envelope envelope = Envelope.of("test", "d-" + run,
                    new DeployRequested("shop", "v2", null, "after garbage on " + topic));
            events.publishRaw(topic, "shop", new dev.bluegreen.events.EnvelopeSerializer().serialize(topic, envelope));
            valid.add(envelope);
        }

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(valid).allMatch(listener::saw);
            assertThat(deadLetters.unreadable()).filteredOn(record -> record.text().contains(run))
                    .extracting(record -> record.topic() + " " + record.text())
                    .containsExactlyInAnyOrderElementsOf(Topics.EVENTS.stream()
                            .map(topic -> topic + ".DLT not an envelope " + run + " on " + topic).toList());
        });
        MeterRegistry meters = service.getBean(MeterRegistry.class);
        assertThat(Topics.EVENTS).allSatisfy(topic -> assertThat(
                meters.get("bluegreen.dead.letters").tag("topic", topic).counter().count()).isGreaterThanOrEqualTo(1));
    }

    @Test
    void anEventTheListenerKeepsFailingOnIsTriedThreeTimesThenDeadLetteredAndTheNextEventIsServed() {
        String run = UUID.randomUUID().toString();
        Envelope failing = Envelope.of("test", "d-" + run,
                new DeployRequested(TestService.FAILING_APP, "v2", null, "alice"));
        Envelope next = Envelope.of("test", "d-" + run, new DeployRequested(TestService.FAILING_APP.replace(
                "failing", "fine"), "v2", null, "bob"));

        events.publish(failing);
        events.publish(next);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(listener.saw(next)).isTrue();
            assertThat(deadLetters.events()).extracting(Envelope::id).contains(failing.id());
        });
        assertThat(listener.attempts.get(failing.id())).hasValue(3);
    }
}
