package dev.bluegreen.kafka;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KraftBrokerTest {

    @Test
    void brokerStoresARecordThatAConsumerThenReads(@TempDir Path data) throws Exception {
        try (KraftBroker broker = KraftBroker.start(data, 0)) {
            assertThat(broker.bootstrapServers()).matches("127\\.0\\.0\\.1:\\d+");
            String topic = "kraft-broker-test";
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
            }
            try (KafkaProducer<String, String> producer = producer(broker)) {
                producer.send(new ProducerRecord<>(topic, "shop", "deploy main")).get();
            }
            try (KafkaConsumer<String, String> consumer = consumer(broker)) {
                consumer.subscribe(List.of(topic));
                List<ConsumerRecord<String, String>> received = new ArrayList<>();
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (received.isEmpty() && System.nanoTime() < deadline) {
                    consumer.poll(Duration.ofMillis(200)).forEach(received::add);
                }
                assertThat(received).singleElement().satisfies(record -> {
                    assertThat(record.key()).isEqualTo("shop");
                    assertThat(record.value()).isEqualTo("deploy main");
                });
            }
        }
    }

    @Test
    void secondBrokerOnATakenPortFailsWithAMessageNamingThePort(@TempDir Path first, @TempDir Path second) {
        try (KraftBroker broker = KraftBroker.start(first, 0)) {
            assertThatThrownBy(() -> KraftBroker.start(second, broker.port()))
                    .isInstanceOf(PortInUseException.class)
                    .hasMessageStartingWith("port " + broker.port() + " is in use");
            assertThat(second).isEmptyDirectory();
        }
    }

    @Test
    void brokerWithATemporaryDirectoryDeletesItWhenClosed() {
        Path data;
        try (KraftBroker broker = KraftBroker.start()) {
            data = broker.dataDirectory();
            assertThat(data).isDirectory();
        }
        assertThat(Files.exists(data)).isFalse();
    }

    @Test
    void brokerRestartsOnADataDirectoryItFormattedBefore(@TempDir Path data) throws Exception {
        String topic = "survives-restart";
        try (KraftBroker broker = KraftBroker.start(data, 0);
                KafkaProducer<String, String> producer = producer(broker)) {
            producer.send(new ProducerRecord<>(topic, "shop", "kept")).get();
        }
        try (KraftBroker broker = KraftBroker.start(data, 0);
                Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            assertThat(admin.listTopics().names().get()).contains(topic);
        }
    }

    private static KafkaProducer<String, String> producer(KraftBroker broker) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
                new StringSerializer(), new StringSerializer());
    }

    private static KafkaConsumer<String, String> consumer(KraftBroker broker) {
        return new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "kraft-broker-test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new StringDeserializer());
    }
}
