package dev.bluegreen.testing;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import dev.bluegreen.events.Envelope;
import dev.bluegreen.events.EnvelopeDeserializer;
import dev.bluegreen.events.EnvelopeSerializer;
import dev.bluegreen.events.PipelineEvent;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records every pipeline event on some topics, from the earliest offset, so a test can publish a request and wait
 * for what the services make of it:
 * <pre>{@code
 * try (EventLog events = EventLog.open(KafkaFixture.bootstrapServers(), Topics.EVENTS.toArray(String[]::new))) {
 *     Envelope request = Envelope.of("test", deploymentId, new DeployRequested("shop", "main", null, "test"));
 *     events.publish(request);
 *     Envelope healthy = events.awaitEvent(EnvironmentHealthy.class, deploymentId);
 * }
 * }</pre>
 * The broker is shared by the whole test JVM, so the log also holds earlier tests' events: filter by deployment id.
 */
public final class EventLog implements AutoCloseable {

    /** How long {@code awaitEvent} waits unless told otherwise. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    private static final Logger log = LoggerFactory.getLogger(EventLog.class);
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);
    private static final int MAX_DATA_CHARS = 160;

    private final String bootstrapServers;
    private final List<String> topics;
    private final List<Envelope> events = new CopyOnWriteArrayList<>();
    private final List<Unreadable> unreadable = new CopyOnWriteArrayList<>();
    private final KafkaConsumer<String, byte[]> consumer;
    private final Thread poller;
    private final EnvelopeDeserializer deserializer = new EnvelopeDeserializer();
    private final EnvelopeSerializer serializer = new EnvelopeSerializer();
    private @Nullable KafkaProducer<String, byte[]> producer;
    private volatile boolean closing;

    private EventLog(String bootstrapServers, List<String> topics) {
        this.bootstrapServers = bootstrapServers;
        this.topics = topics;
        this.consumer = new KafkaConsumer<>(consumerSettings(bootstrapServers), new StringDeserializer(),
                new ByteArrayDeserializer());
        this.consumer.subscribe(topics);
        this.poller = new Thread(this::poll, "event-log-" + String.join(",", topics));
        this.poller.setDaemon(true);
    }

    /** Starts recording every event on {@code topics}, including those published before this call. */
    public static EventLog open(String bootstrapServers, String... topics) {
        if (topics.length == 0) {
            throw new IllegalArgumentException("EventLog needs at least one topic to read");
        }
        EventLog eventLog = new EventLog(bootstrapServers, List.of(topics));
        eventLog.poller.start();
        return eventLog;
    }

    /** The events recorded so far, in the order they arrived. */
    public List<Envelope> events() {
        return List.copyOf(events);
    }

    /** Records whose value is not an envelope, in the order they arrived. */
    public List<Unreadable> unreadable() {
        return List.copyOf(unreadable);
    }

    /** Waits up to {@link #DEFAULT_TIMEOUT} for an event of {@code eventClass} belonging to {@code deploymentId}. */
    public <T extends PipelineEvent> Envelope awaitEvent(Class<T> eventClass, String deploymentId) {
        return awaitEvent(eventClass, deploymentId, DEFAULT_TIMEOUT);
    }

    public <T extends PipelineEvent> Envelope awaitEvent(Class<T> eventClass, String deploymentId, Duration timeout) {
        return awaitEvent(eventClass, envelope -> deploymentId.equals(envelope.deploymentId()),
                "of deployment " + deploymentId, timeout);
    }

    /** Waits up to {@link #DEFAULT_TIMEOUT} for an event of {@code eventClass} whose envelope matches {@code filter}. */
    public <T extends PipelineEvent> Envelope awaitEvent(Class<T> eventClass, Predicate<Envelope> filter) {
        return awaitEvent(eventClass, filter, DEFAULT_TIMEOUT);
    }

    /**
     * Waits for the first event of {@code eventClass} whose envelope matches {@code filter}, and returns it.
     *
     * @throws AssertionError if none arrives within {@code timeout}; its message lists the events that did arrive
     */
    public <T extends PipelineEvent> Envelope awaitEvent(Class<T> eventClass, Predicate<Envelope> filter,
            Duration timeout) {
        return awaitEvent(eventClass, filter, "matching the filter", timeout);
    }

    private <T extends PipelineEvent> Envelope awaitEvent(Class<T> eventClass, Predicate<Envelope> filter,
            String wanted, Duration timeout) {
        try {
            return Awaitility.await()
                    .atMost(timeout)
                    .pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> firstMatch(eventClass, filter), Optional::isPresent)
                    .orElseThrow();
        }
        catch (ConditionTimeoutException ex) {
            throw new AssertionError("No " + eventClass.getSimpleName() + " " + wanted + " arrived on " + topics
                    + " within " + timeout.toMillis() + " ms. " + describeSeen(), ex);
        }
    }

    private <T extends PipelineEvent> Optional<Envelope> firstMatch(Class<T> eventClass, Predicate<Envelope> filter) {
        return events.stream().filter(e -> eventClass.isInstance(e.data()) && filter.test(e)).findFirst();
    }

    /** Sends {@code envelope} to its topic, keyed by its subject (the app), and waits for the broker's ack. */
    public void publish(Envelope envelope) {
        send(envelope.topic(), envelope.subject(), serializer.serialize(envelope.topic(), envelope));
    }

    /** Sends any bytes, for tests of what a service does with a record that is not an envelope. */
    public void publishRaw(String topic, @Nullable String key, byte @Nullable [] value) {
        send(topic, key, value);
    }

    private void send(String topic, @Nullable String key, byte @Nullable [] value) {
        try {
            producer().send(new ProducerRecord<>(topic, key, value)).get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while publishing to " + topic, ex);
        }
        catch (ExecutionException | TimeoutException ex) {
            throw new IllegalStateException("Could not publish to " + topic + " on " + bootstrapServers, ex);
        }
    }

    private synchronized KafkaProducer<String, byte[]> producer() {
        if (closing) {
            throw new IllegalStateException("This EventLog is closed");
        }
        if (producer == null) {
            producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                    ProducerConfig.CLIENT_ID_CONFIG, "event-log-producer-" + UUID.randomUUID()),
                    new StringSerializer(), new ByteArraySerializer());
        }
        return producer;
    }

    @Override
    public void close() {
        closing = true;
        consumer.wakeup();
        try {
            poller.join(Duration.ofSeconds(10).toMillis());
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            if (producer != null) {
                producer.close(Duration.ofSeconds(5));
                producer = null;
            }
        }
    }

    private void poll() {
        try {
            while (!closing) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    record(record);
                }
            }
        }
        catch (WakeupException ex) {
            // close() woke us up
        }
        catch (RuntimeException ex) {
            log.warn("EventLog stopped reading {}: {}", topics, ex.toString());
        }
        finally {
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
        }
    }

    private void record(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            return;
        }
        try {
            events.add(deserializer.deserialize(record.topic(), record.value()));
        }
        catch (RuntimeException ex) {
            unreadable.add(new Unreadable(record.topic(), record.key(), record.value(), ex.getMessage()));
        }
    }

    private String describeSeen() {
        List<Envelope> seen = events();
        StringBuilder description = new StringBuilder("Seen so far: ").append(seen.size()).append(" event(s)");
        description.append(seen.isEmpty() ? "." : ":");
        for (Envelope envelope : seen) {
            description.append(System.lineSeparator()).append("  ").append(describe(envelope));
        }
        List<Unreadable> garbage = unreadable();
        if (!garbage.isEmpty()) {
            description.append(System.lineSeparator()).append("and ").append(garbage.size())
                    .append(" unreadable record(s) on ")
                    .append(garbage.stream().map(Unreadable::topic).distinct().collect(Collectors.joining(", ")));
        }
        return description.toString();
    }

    private static String describe(Envelope envelope) {
        String data = envelope.data().toString();
        if (data.length() > MAX_DATA_CHARS) {
            data = data.substring(0, MAX_DATA_CHARS) + "...";
        }
        return "deployment " + envelope.deploymentId() + " from " + envelope.source() + ": " + data;
    }

    private static Map<String, Object> consumerSettings(String bootstrapServers) {
        return Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "event-log-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                // Notices topics and partitions that services create after this log opened.
                ConsumerConfig.METADATA_MAX_AGE_CONFIG, 1000);
    }

    /**
     * A record whose value could not be read as an envelope.
     *
     * @param reason why the envelope deserializer refused it
     */
    public record Unreadable(String topic, @Nullable String key, byte[] value, @Nullable String reason) {

        /** The value as UTF-8 text, for assertions and messages. */
        public String text() {
            return new String(value, StandardCharsets.UTF_8);
        }
    }
}
