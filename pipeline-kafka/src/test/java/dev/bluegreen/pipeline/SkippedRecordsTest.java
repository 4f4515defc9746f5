package dev.bluegreen.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.bluegreen.events.DeployRequested;
import dev.bluegreen.events.Envelope;
import dev.bluegreen.events.Topics;
import dev.bluegreen.testing.EventLog;
import dev.bluegreen.testing.KafkaFixture;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * A listener that reads its topics again on every start skips what it cannot handle: logged and counted, neither
 * retried nor dead-lettered, and the listener carries on.
 */
class SkippedRecordsTest {

    private static final String DEAD_LETTER_TOPIC = Topics.LIFECYCLE + ".DLT";

    private static ConfigurableApplicationContext service;
    private static ReplayingService.Replayer replayer;
    private static ReplayingService.Skipped skipped;
    private static EventLog events;
    private static EventLog deadLetters;
    private static final ListAppender<ILoggingEvent> logLines = new ListAppender<>();
    private static final Logger skipLogger = (Logger) LoggerFactory.getLogger(SkippedRecords.class);

    @BeforeAll
    static void startService() {
        service = TestService.start(ReplayingService.class);
        replayer = service.getBean(ReplayingService.Replayer.class);
        skipped = service.getBean(ReplayingService.Skipped.class);
        // after the start: Spring Boot sets logging up afresh as it starts
        logLines.start();
        skipLogger.addAppender(logLines);
        events = EventLog.open(KafkaFixture.bootstrapServers(), Topics.LIFECYCLE);
        deadLetters = EventLog.open(KafkaFixture.bootstrapServers(), DEAD_LETTER_TOPIC);
        await().atMost(Duration.ofSeconds(30)).until(() -> !service.getBean(KafkaListenerEndpointRegistry.class)
                .getListenerContainer(ReplayingService.LISTENER_ID).getAssignedPartitions().isEmpty());
    }

    @AfterAll
    static void stop() {
        skipLogger.detachAppender(logLines);
        events.close();
        deadLetters.close();
        service.close();
    }

    @Test
    void garbageIsLoggedWithoutItsBytesCountedAndSkippedWithoutADeadLetterAndTheListenerCarriesOn() {
        String key = "garbage-" + UUID.randomUUID();
        String content = "not an envelope " + UUID.randomUUID();
        events.publishRaw(Topics.LIFECYCLE, key, content.getBytes(StandardCharsets.UTF_8));
        Envelope next = Envelope.of("test", "d-" + UUID.randomUUID(),
                new DeployRequested("shop", "v2", null, "after garbage"));
        events.publish(next);

        await().atMost(Duration.ofSeconds(30)).until(() -> replayer.saw(next));
        assertThat(skipped.records).filteredOn(record -> key.equals(record.key())).hasSize(1);
        assertThat(List.copyOf(logLines.list)).filteredOn(line -> line.getFormattedMessage().contains(key))
                .singleElement()
                .satisfies(line -> assertThat(line.getFormattedMessage())
                        .matches("Record bluegreen\\.lifecycle-\\d+@\\d+ \\(app " + key
                                + ", deployment unknown\\) could not be handled by consumer group pipeline-test-\\S+ "
                                + "and was skipped, not dead-lettered, .*")
                        .doesNotContain(content));
        assertThat(service.getBean(MeterRegistry.class).get(SkippedRecords.COUNTER)
                .tag("topic", Topics.LIFECYCLE).counter().count()).isGreaterThanOrEqualTo(1);
        assertThat(deadLetterTexts(key)).noneMatch(text -> text.contains(content));
    }

    @Test
    void anEventTheListenerFailsOnIsTriedOnceThenSkippedAndTheNextEventIsServed() {
        Envelope failing = Envelope.of("test", "d-" + UUID.randomUUID(),
                new DeployRequested(TestService.FAILING_APP, "v2", null, "alice"));
        Envelope next = Envelope.of("test", failing.deploymentId(),
                new DeployRequested(TestService.FAILING_APP.replace("failing", "fine"), "v2", null, "bob"));

        events.publish(failing);
        events.publish(next);

        await().atMost(Duration.ofSeconds(30)).until(() -> replayer.saw(next));
        assertThat(replayer.attempts.get(failing.id())).hasValue(1);
        assertThat(skipped.records).extracting(record -> record.value())
                .filteredOn(Envelope.class::isInstance)
                .extracting(value -> ((Envelope) value).id()).contains(failing.id());
        assertThat(List.copyOf(logLines.list)).filteredOn(line -> line.getFormattedMessage()
                .contains("deployment " + failing.deploymentId())).singleElement()
                .satisfies(line -> assertThat(line.getFormattedMessage()).endsWith(
                        "the replaying listener fails on every event of " + TestService.FAILING_APP));
        deadLetterTexts(TestService.FAILING_APP);
        assertThat(deadLetters.events()).extracting(Envelope::id).doesNotContain(failing.id());
    }

    /**
     * What the dead-letter topic holds, up to a record sent to it now with {@code key}: a dead letter of a record
     * with that key would have gone to the same partition, before it.
     */
    private static List<String> deadLetterTexts(String key) {
        String sentinel = "sentinel " + UUID.randomUUID();
        events.publishRaw(DEAD_LETTER_TOPIC, key, sentinel.getBytes(StandardCharsets.UTF_8));
        await().atMost(Duration.ofSeconds(30)).until(() -> deadLetters.unreadable().stream()
                .anyMatch(record -> record.text().equals(sentinel)));
        return deadLetters.unreadable().stream().map(EventLog.Unreadable::text).toList();
    }
}
