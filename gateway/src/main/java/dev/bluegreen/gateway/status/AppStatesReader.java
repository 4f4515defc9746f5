package dev.bluegreen.gateway.status;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.stereotype.Component;

import dev.bluegreen.events.Topics;
import dev.bluegreen.lifecycle.AppState;
import dev.bluegreen.lifecycle.AppStateCodec;

/**
 * Reads every app's state from the compacted app-states topic, from its beginning and then as the lifecycle engine
 * writes it, into the {@link DeploymentProjection}. Every gateway instance reads all of it on its own, in no consumer
 * group, so each one serves the status of every app, not only of the apps whose lifecycle partitions it owns. The
 * topic is compacted, so each app's last state outlives the lifecycle topic's retention.
 *
 * <p>The engine writes the topic in transactions: only committed states are read, and the topic counts as read once
 * the consumer's position has passed the end it had when this instance started (a transaction's commit marker takes
 * an offset no record has).
 */
@Component
class AppStatesReader implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(AppStatesReader.class);
    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration RETRY = Duration.ofSeconds(2);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

    private final Map<String, Object> settings;
    private final DeploymentProjection projection;
    private final AppStateCodec codec = new AppStateCodec();
    private final Map<TopicPartition, Long> positions = new HashMap<>();
    private final CountDownLatch stopping = new CountDownLatch(1);
    private volatile @Nullable KafkaConsumer<String, byte[]> consumer;
    private volatile boolean running;
    private @Nullable Thread reader;

    AppStatesReader(ConsumerFactory<?, ?> consumers, DeploymentProjection projection) {
        this.projection = projection;
        Map<String, Object> settings = new HashMap<>(consumers.getConfigurationProperties());
        settings.remove(ConsumerConfig.GROUP_ID_CONFIG);
        settings.remove(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG);
        settings.remove(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG);
        settings.put(ConsumerConfig.CLIENT_ID_CONFIG, "gateway-app-states-" + UUID.randomUUID());
        settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        settings.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        // never let a read create the topic with the broker's defaults: it must be compacted
        settings.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        this.settings = settings;
    }

    @Override
    public synchronized void start() {
        running = true;
        reader = new Thread(this::read, "gateway-app-states");
        reader.setDaemon(true);
        reader.start();
    }

    @Override
    public synchronized void stop() {
        running = false;
        stopping.countDown();
        KafkaConsumer<String, byte[]> current = consumer;
        if (current != null) {
            current.wakeup();
        }
        if (reader != null) {
            try {
                reader.join(STOP_TIMEOUT.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private void read() {
        while (running) {
            try (KafkaConsumer<String, byte[]> kafka = new KafkaConsumer<>(settings, new StringDeserializer(),
                    new ByteArrayDeserializer())) {
                consumer = kafka;
                if (running) {
                    follow(kafka);
                }
            } catch (WakeupException e) {
                // stop() woke it up
            } catch (RuntimeException e) {
                if (running) {
                    log.warn("The gateway cannot read the apps' states from {} ({}); it tries again in {} s.",
                            Topics.APP_STATES, e.toString(), RETRY.toSeconds());
                    pause();
                }
            } finally {
                consumer = null;
            }
        }
    }

    private void follow(KafkaConsumer<String, byte[]> kafka) {
        List<TopicPartition> partitions = kafka.partitionsFor(Topics.APP_STATES).stream()
                .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
        if (partitions.isEmpty()) {
            throw new IllegalStateException(Topics.APP_STATES + " does not exist yet");
        }
        kafka.assign(partitions);
        for (TopicPartition partition : partitions) {
            Long next = positions.get(partition);
            if (next == null) {
                kafka.seekToBeginning(List.of(partition));
            } else {
                kafka.seek(partition, next);
            }
        }
        Map<TopicPartition, Long> ends = kafka.endOffsets(partitions);
        while (running) {
            for (ConsumerRecord<String, byte[]> record : kafka.poll(POLL)) {
                take(record);
                positions.put(new TopicPartition(record.topic(), record.partition()), record.offset() + 1);
            }
            if (!projection.areStatesRead() && ends.entrySet().stream()
                    .allMatch(end -> kafka.position(end.getKey()) >= end.getValue())) {
                log.info("The gateway has read the apps' states; status is up to date.");
                projection.statesRead();
            }
        }
    }

    private void take(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            if (record.key() != null) {
                projection.forget(record.key());
            }
            return;
        }
        AppState state;
        try {
            state = codec.read(record.value());
        } catch (IllegalArgumentException e) {
            log.warn("Record {} of {} partition {} (app {}) is not an app's state; the gateway skips it: {}",
                    record.offset(), record.topic(), record.partition(), record.key(), e.getMessage());
            return;
        }
        projection.state(state);
    }

    private void pause() {
        try {
            stopping.await(RETRY.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }
}
