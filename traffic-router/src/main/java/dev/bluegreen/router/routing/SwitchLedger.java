package dev.bluegreen.router.routing;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.stereotype.Component;

import dev.bluegreen.events.AwaitingPromotion;
import dev.bluegreen.events.Colour;
import dev.bluegreen.events.Envelope;
import dev.bluegreen.events.EnvelopeDeserializer;
import dev.bluegreen.events.RolledBack;
import dev.bluegreen.events.SwitchFailed;
import dev.bluegreen.events.Topics;
import dev.bluegreen.events.TrafficSwitched;

/**
 * What the router has already done, so a redelivered request does nothing twice, also across restarts: on start it
 * reads its own events on {@value Topics#TRAFFIC} from the beginning, and then notes each event it publishes.
 * Knows which deployments were answered, which wait for promotion, and each app's last recorded live colour.
 */
@Component
class SwitchLedger {

    private static final Logger log = LoggerFactory.getLogger(SwitchLedger.class);
    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

    private final Set<String> answered = ConcurrentHashMap.newKeySet();
    private final Set<String> started = ConcurrentHashMap.newKeySet();
    private final Map<String, AwaitingPromotion> awaiting = new ConcurrentHashMap<>();
    private final Map<String, Colour> live = new ConcurrentHashMap<>();

    SwitchLedger(KafkaProperties kafka) {
        readRecordedEvents(kafka);
    }

    /**
     * Marks the request's deployment as being handled, unless it already was: false for a redelivery (the same
     * envelope, or another request of a deployment that is being handled, waits for promotion or was answered).
     */
    boolean begin(Envelope request) {
        String deploymentId = request.deploymentId();
        return !answered.contains(deploymentId) && !awaiting.containsKey(deploymentId) && started.add(deploymentId);
    }

    /** Whether the router already published an outcome (a switch, rollback or failure) for the deployment. */
    boolean answered(String deploymentId) {
        return answered.contains(deploymentId);
    }

    /** Notes an event the router published, or read back from the topic. */
    void recorded(Envelope event) {
        String deploymentId = event.deploymentId();
        if (event.data() instanceof AwaitingPromotion waiting) {
            awaiting.put(deploymentId, waiting);
        } else if (event.data() instanceof TrafficSwitched switched) {
            live.put(switched.app(), switched.to());
            answer(deploymentId);
        } else if (event.data() instanceof RolledBack rolledBack) {
            live.put(rolledBack.app(), rolledBack.to());
            answer(deploymentId);
        } else if (event.data() instanceof SwitchFailed) {
            answer(deploymentId);
        }
    }

    /** The switch waiting for promotion in the deployment, taken out of waiting; empty when none waits. */
    Optional<AwaitingPromotion> takeAwaiting(String deploymentId) {
        return Optional.ofNullable(awaiting.remove(deploymentId));
    }

    /** The colour the app's traffic was last recorded going to, if any. */
    Optional<Colour> recordedLive(String app) {
        return Optional.ofNullable(live.get(app));
    }

    private void answer(String deploymentId) {
        answered.add(deploymentId);
        awaiting.remove(deploymentId);
    }

    private void readRecordedEvents(KafkaProperties kafka) {
        Properties settings = new Properties();
        settings.putAll(kafka.buildConsumerProperties());
        settings.put(ConsumerConfig.GROUP_ID_CONFIG, "traffic-router-ledger-unused");
        settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        settings.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(settings, new StringDeserializer(),
                new ByteArrayDeserializer()); EnvelopeDeserializer envelopes = new EnvelopeDeserializer()) {
            List<PartitionInfo> partitions = consumer.partitionsFor(Topics.TRAFFIC, READ_TIMEOUT);
            if (partitions == null || partitions.isEmpty()) {
                return;
            }
            List<TopicPartition> assigned = partitions.stream()
                    .map(partition -> new TopicPartition(Topics.TRAFFIC, partition.partition())).toList();
            consumer.assign(assigned);
            consumer.seekToBeginning(assigned);
            Map<TopicPartition, Long> ends = new HashMap<>(consumer.endOffsets(assigned, READ_TIMEOUT));
            long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
            int read = 0;
            while (ends.entrySet().stream().anyMatch(end -> consumer.position(end.getKey()) < end.getValue())) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("The traffic-router could not read its recorded switches on "
                            + Topics.TRAFFIC + " within " + READ_TIMEOUT.toSeconds() + " s.");
                }
                for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
                    read++;
                    try {
                        recorded(envelopes.deserialize(record.topic(), record.value()));
                    } catch (RuntimeException unreadable) {
                        log.warn("Skipped an unreadable record at offset {} of {}.", record.offset(),
                                record.topic() + "-" + record.partition());
                    }
                }
            }
            log.info("Read {} recorded traffic events: {} deployments answered, {} waiting for promotion.", read,
                    answered.size(), awaiting.size());
        }
    }
}
