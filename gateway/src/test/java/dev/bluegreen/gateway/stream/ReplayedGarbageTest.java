package dev.bluegreen.gateway.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.kafka.support.KafkaHeaders;

import dev.bluegreen.events.Colour;
import dev.bluegreen.events.Envelope;
import dev.bluegreen.events.Topics;
import dev.bluegreen.events.TrafficSwitched;
import dev.bluegreen.gateway.RunningGateway;
import dev.bluegreen.gateway.status.DeploymentProjection;
import dev.bluegreen.testing.EventLog;
import dev.bluegreen.testing.KafkaFixture;

/**
 * The event feed reads its topics from the beginning on each start of the gateway, garbage included: it skips that
 * garbage every time, while only the listeners that read each record once (the chat notifier) dead-letter it, once.
 */
class ReplayedGarbageTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    static Path directory;

    static EventLog kafka;

    @BeforeAll
    static void openKafka() {
        kafka = EventLog.open(KafkaFixture.bootstrapServers(), Topics.LIFECYCLE);
    }

    @AfterAll
    static void closeKafka() {
        kafka.close();
    }

    @Test
    void garbageIsDeadLetteredOnceByTheNotifierNotAgainOnEachStartAndTheFeedServesTheEventsAfterIt() {
        String marker = UUID.randomUUID().toString();
        kafka.publishRaw(Topics.LIFECYCLE, "shop", ("not an event " + marker).getBytes(StandardCharsets.UTF_8));
        // the same key, so the same partition: whoever has read this event is past the garbage
        Envelope after = Envelope.of("traffic-router", "d-" + marker,
                new TrafficSwitched("shop", Colour.BLUE, Colour.GREEN, List.of(102L), 800));
        kafka.publish(after);

        for (String start : List.of("first", "second")) {
            try (RunningGateway gateway = RunningGateway.start(directory, KafkaFixture.bootstrapServers(),
                    "--bluegreen.gateway.notifications-start=earliest")) {
                await().atMost(WAIT).untilAsserted(() -> gateway.reader().get()
                        .uri("/api/deployments/" + after.deploymentId()).exchange()
                        .expectStatus().isOk()
                        .expectBody().jsonPath("$.outcome").isEqualTo("succeeded"));
                // The lifecycle engine dead-letters what it cannot fold in its own way (pipeline-kafka tests it):
                // here only the gateway's listeners count, the notifier's group and the feed's groups.
                await().atMost(WAIT).untilAsserted(() -> assertThat(deadLetteredBy(Topics.LIFECYCLE, marker))
                        .as("the consumer groups that dead-lettered the garbage, after the %s start", start)
                        .filteredOn(group -> group.startsWith("gateway-"))
                        .containsExactly("gateway-notifications"));
            }
        }
    }

    @Test
    void aHistoryThatEndsInGarbageIsStillReadToItsEnd() {
        kafka.publishRaw(Topics.LIFECYCLE, "wiki", "{\"type\":\"Promoted\"".getBytes(StandardCharsets.UTF_8));

        try (RunningGateway gateway = RunningGateway.start(directory, KafkaFixture.bootstrapServers())) {
            DeploymentProjection projection = gateway.bean("deploymentProjection", DeploymentProjection.class);

            await().atMost(WAIT).until(projection::isCaughtUp);
        }
    }

    /** The consumer groups that sent a record holding {@code marker} to the topic's DLT, read to its end. */
    private static List<String> deadLetteredBy(String topic, String marker) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaFixture.bootstrapServers(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic + ".DLT").stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            List<String> groups = new ArrayList<>();
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (partitions.stream().anyMatch(partition -> consumer.position(partition) < ends.get(partition))) {
                assertThat(System.nanoTime()).as("reading %s.DLT to its end", topic).isLessThan(deadline);
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.value() != null
                            && new String(record.value(), StandardCharsets.UTF_8).contains(marker)) {
                        Header group = record.headers().lastHeader(KafkaHeaders.DLT_ORIGINAL_CONSUMER_GROUP);
                        groups.add(group == null ? "no group" : new String(group.value(), StandardCharsets.UTF_8));
                    }
                }
            }
            return groups;
        }
    }
}
