package dev.bluegreen.agent.traffic;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.stereotype.Component;

import dev.bluegreen.events.Topics;

/**
 * How far a topic goes right now: what the agent must have read to know every event recorded so far, such as every
 * traffic switch.
 */
@Component
public class TrafficTopic {

    private static final long TIMEOUT_SECONDS = 10;

    private final KafkaAdmin kafkaAdmin;

    TrafficTopic(KafkaAdmin kafkaAdmin) {
        this.kafkaAdmin = kafkaAdmin;
    }

    /**
     * The end offset of every partition of the traffic topic that holds records; empty when the topic does not exist
     * yet, that is, when no traffic was ever switched.
     */
    Map<TopicPartition, Long> endsOfRecordedSwitches() throws LiveColourUnknownException, InterruptedException {
        try {
            return endsOf(Topics.TRAFFIC);
        }
        catch (ExecutionException | TimeoutException ex) {
            throw new LiveColourUnknownException("The deploy-agent could not ask Kafka how far the traffic topic "
                    + Topics.TRAFFIC + " goes: " + ex.getMessage());
        }
    }

    /** The end offset of every partition of {@code topic} that holds records; empty when it does not exist yet. */
    public Map<TopicPartition, Long> endsOf(String topic)
            throws ExecutionException, TimeoutException, InterruptedException {
        try (Admin admin = Admin.create(kafkaAdmin.getConfigurationProperties())) {
            List<TopicPartition> partitions = partitions(admin, topic);
            Map<TopicPartition, Long> beginnings = offsets(admin, partitions, OffsetSpec.earliest());
            Map<TopicPartition, Long> ends = offsets(admin, partitions, OffsetSpec.latest());
            Map<TopicPartition, Long> withRecords = new HashMap<>();
            ends.forEach((partition, end) -> {
                if (end > beginnings.getOrDefault(partition, 0L)) {
                    withRecords.put(partition, end);
                }
            });
            return withRecords;
        }
    }

    private static List<TopicPartition> partitions(Admin admin, String name)
            throws ExecutionException, TimeoutException, InterruptedException {
        try {
            TopicDescription topic = admin.describeTopics(List.of(name)).allTopicNames()
                    .get(TIMEOUT_SECONDS, TimeUnit.SECONDS).get(name);
            return topic.partitions().stream()
                    .map(partition -> new TopicPartition(name, partition.partition()))
                    .toList();
        }
        catch (ExecutionException ex) {
            if (ex.getCause() instanceof UnknownTopicOrPartitionException) {
                return List.of();
            }
            throw ex;
        }
    }

    private static Map<TopicPartition, Long> offsets(Admin admin, List<TopicPartition> partitions, OffsetSpec spec)
            throws ExecutionException, TimeoutException, InterruptedException {
        if (partitions.isEmpty()) {
            return Map.of();
        }
        Map<TopicPartition, OffsetSpec> request =
                partitions.stream().collect(Collectors.toMap(Function.identity(), partition -> spec));
        Map<TopicPartition, ListOffsetsResultInfo> offsets =
                admin.listOffsets(request).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        return offsets.entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, entry -> entry.getValue().offset()));
    }
}
