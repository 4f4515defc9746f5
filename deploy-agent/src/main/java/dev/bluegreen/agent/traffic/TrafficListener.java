package dev.bluegreen.agent.traffic;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.listener.ConsumerSeekAware;
import org.springframework.stereotype.Component;

import dev.bluegreen.events.Envelope;
import dev.bluegreen.events.EnvironmentProvisioned;
import dev.bluegreen.events.EnvironmentUnhealthy;
import dev.bluegreen.events.RolledBack;
import dev.bluegreen.events.SwitchFailed;
import dev.bluegreen.events.Topics;
import dev.bluegreen.events.TrafficSwitched;

/**
 * Reads the traffic-router's events from the beginning, on every start, to learn which colour of each app is live,
 * and, with the provisioning and health events, which deployments are still on their way to traffic. Each agent
 * instance has a group of its own, so every instance sees every app, and it never commits offsets, so its group
 * leaves nothing behind in Kafka.
 */
@Component
class TrafficListener implements ConsumerSeekAware {

    private static final Logger log = LoggerFactory.getLogger(TrafficListener.class);

    private final LiveColours liveColours;

    private final DeploymentsOnTheirWay onTheirWay;

    TrafficListener(LiveColours liveColours, DeploymentsOnTheirWay onTheirWay) {
        this.liveColours = liveColours;
        this.onTheirWay = onTheirWay;
    }

    @KafkaListener(id = "deploy-agent-live-colours", topics = { Topics.TRAFFIC, Topics.HEALTH, Topics.PROVISIONING },
            groupId = "deploy-agent-live-colours-#{T(java.util.UUID).randomUUID()}", batch = "true",
            containerPostProcessor = NeverCommitOffsets.BEAN_NAME,
            properties = { "auto.offset.reset=earliest", "enable.auto.commit=false" })
    void onTrafficEvents(List<ConsumerRecord<String, @Nullable Envelope>> records, Consumer<?, ?> consumer) {
        Set<TopicPartition> partitions = new LinkedHashSet<>();
        for (ConsumerRecord<String, @Nullable Envelope> record : records) {
            partitions.add(new TopicPartition(record.topic(), record.partition()));
            learnFrom(record);
        }
        // the consumer's position, not the last offset + 1: it also steps over transaction markers
        partitions.forEach(partition -> liveColours.readUpTo(partition, consumer.position(partition)));
    }

    private void learnFrom(ConsumerRecord<String, @Nullable Envelope> record) {
        Envelope envelope = record.value();
        if (envelope == null) {
            log.warn("Skipped an unreadable record at offset {} of {} (key {}).", record.offset(),
                    record.topic() + "-" + record.partition(), record.key());
        }
        else if (envelope.data() instanceof EnvironmentProvisioned provisioned) {
            onTheirWay.provisioned(provisioned.app(), envelope.deploymentId());
        }
        else if (envelope.data() instanceof EnvironmentUnhealthy unhealthy) {
            onTheirWay.decided(unhealthy.app(), envelope.deploymentId());
        }
        else if (envelope.data() instanceof SwitchFailed failed) {
            onTheirWay.decided(failed.app(), envelope.deploymentId());
        }
        else if (envelope.data() instanceof TrafficSwitched switched) {
            onTheirWay.decided(switched.app(), envelope.deploymentId());
            liveColours.reported(switched.app(), switched.to());
            log.debug("Traffic of {} went to {} in deployment {}.", switched.app(), switched.to(),
                    envelope.deploymentId());
        }
        else if (envelope.data() instanceof RolledBack rolledBack) {
            liveColours.reported(rolledBack.app(), rolledBack.to());
            log.debug("Traffic of {} was rolled back to {} in deployment {}.", rolledBack.app(), rolledBack.to(),
                    envelope.deploymentId());
        }
    }

    @Override
    public void onPartitionsAssigned(Map<TopicPartition, Long> assignments, ConsumerSeekCallback callback) {
        callback.seekToBeginning(assignments.keySet());
    }
}
