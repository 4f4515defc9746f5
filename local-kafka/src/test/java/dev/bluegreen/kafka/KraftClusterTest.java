package dev.bluegreen.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** One cluster for the whole class: starting three nodes takes a while. Each test leaves every node running. */
class KraftClusterTest {

    /** Long enough for the controller to fence a stopped node (broker.session.timeout.ms) and move its leaders. */
    private static final Duration FAILOVER = Duration.ofSeconds(60);

    private static KraftCluster cluster;
    private static Admin admin;

    @BeforeAll
    static void startCluster() {
        cluster = KraftCluster.start(3);
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()));
    }

    @AfterAll
    static void stopCluster() {
        admin.close();
        cluster.close();
    }

    @AfterEach
    void startNodesAFailedTestLeftStopped() {
        for (int node = 1; node <= cluster.size(); node++) {
            if (!cluster.isRunning(node)) {
                cluster.startNode(node);
            }
        }
    }

    @Test
    void everyRecordWrittenWithAcksAllWhileTheLeaderIsStoppedAndStartedAgainReachesAConsumer() throws Exception {
        String topic = createTopic("writes-through-a-restart");
        int leader = leaderOf(topic);

        Writer writer = new Writer(topic);
        try (writer) {
            awaitMoreAcknowledged(writer, 20);
            cluster.stopNode(leader);
            awaitMoreAcknowledged(writer, 20);
            cluster.startNode(leader);
            awaitMoreAcknowledged(writer, 20);
        }

        assertThat(writer.failures).isEmpty();
        assertThat(readAll(topic, writer.acknowledged.size(), IsolationLevel.READ_UNCOMMITTED))
                .containsExactlyElementsOf(writer.acknowledged);
    }

    @Test
    void topicCreatedWithoutSettingsHasThreeReplicasAndNeedsTwoInSync() throws Exception {
        String topic = "no-settings-" + UUID.randomUUID();

        admin.createTopics(List.of(new NewTopic(topic, Optional.empty(), Optional.empty()))).all().get();

        assertThat(partitionsOf(topic)).allSatisfy(partition -> {
            assertThat(partition.replicas()).hasSize(3);
            assertThat(partition.isr()).hasSize(3);
        });
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        assertThat(admin.describeConfigs(List.of(resource)).all().get().get(resource).get("min.insync.replicas"))
                .extracting(ConfigEntry::value).isEqualTo("2");
    }

    @Test
    void consumerOffsetsAndTransactionStateAreReplicatedThreeTimesBeforeAnyClientNeedsThem() throws Exception {
        Map<String, TopicDescription> internal = admin
                .describeTopics(Set.of("__consumer_offsets", "__transaction_state")).allTopicNames().get();

        assertThat(internal.values()).hasSize(2).allSatisfy(topic -> assertThat(topic.partitions())
                .allSatisfy(partition -> assertThat(partition.replicas()).hasSize(3)));
    }

    @Test
    void transactionCommitsWhileTheNodeCoordinatingItIsStopped() throws Exception {
        String topic = createTopic("transactions");
        String transactionalId = "kraft-cluster-test-" + UUID.randomUUID();

        try (KafkaProducer<String, String> producer = producer(Map.of(
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId))) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "shop", "before the stop"));
            producer.commitTransaction();
            int coordinator = admin.describeTransactions(List.of(transactionalId)).description(transactionalId).get()
                    .coordinatorId();

            cluster.stopNode(coordinator);
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "shop", "while its coordinator is down"));
            producer.commitTransaction();

            assertThat(readAll(topic, 2, IsolationLevel.READ_COMMITTED))
                    .containsExactly("before the stop", "while its coordinator is down");
            cluster.startNode(coordinator);
        }
    }

    private static void awaitMoreAcknowledged(Writer writer, int more) {
        int target = writer.acknowledged.size() + more;
        await().atMost(FAILOVER).until(() -> writer.acknowledged.size() >= target || !writer.failures.isEmpty());
        assertThat(writer.failures).isEmpty();
    }

    private static String createTopic(String prefix) throws Exception {
        String topic = prefix + "-" + UUID.randomUUID();
        admin.createTopics(List.of(new NewTopic(topic, Optional.of(1), Optional.empty()))).all().get();
        // the controller has the topic now; the brokers learn of it a moment later
        await().ignoreExceptions().until(() -> partitionsOf(topic).get(0).leader() != null);
        return topic;
    }

    private static int leaderOf(String topic) throws Exception {
        return partitionsOf(topic).get(0).leader().id();
    }

    /**
     * The node that answers may learn of a topic just created a moment after the controller said it exists: until
     * then it answers that it does not host the topic.
     */
    private static List<TopicPartitionInfo> partitionsOf(String topic) {
        return await().atMost(Duration.ofSeconds(10)).ignoreExceptionsInstanceOf(ExecutionException.class)
                .until(() -> admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions(),
                        partitions -> true);
    }

    private static List<String> readAll(String topic, int expected, IsolationLevel isolation) {
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "kraft-cluster-test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation.toString()),
                new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            await().atMost(FAILOVER).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> values.add(record.value()));
                return values.size() >= expected;
            });
        }
        return values;
    }

    private static KafkaProducer<String, String> producer(Map<String, Object> settings) {
        Map<String, Object> all = new HashMap<>(settings);
        all.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        all.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(all, new StringSerializer(), new StringSerializer());
    }

    /** Writes numbered records one at a time with {@code acks=all}, each acknowledged before the next, until closed. */
    private static final class Writer implements AutoCloseable {

        final List<String> acknowledged = new CopyOnWriteArrayList<>();
        final List<Exception> failures = new CopyOnWriteArrayList<>();
        private final Thread thread;
        private volatile boolean writing = true;

        Writer(String topic) {
            thread = new Thread(() -> write(topic), "kraft-cluster-test-writer");
            thread.start();
        }

        private void write(String topic) {
            try (KafkaProducer<String, String> producer = producer(Map.of())) {
                for (int i = 0; writing; i++) {
                    String value = String.valueOf(i);
                    producer.send(new ProducerRecord<>(topic, "shop", value)).get();
                    acknowledged.add(value);
                }
            }
            catch (Exception ex) {
                failures.add(ex);
            }
        }

        @Override
        public void close() throws InterruptedException {
            writing = false;
            thread.join();
        }
    }
}
