package dev.bluegreen.localstack;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;

import dev.bluegreen.events.EnvelopeDeserializer;
import dev.bluegreen.events.Envelope;
import dev.bluegreen.events.Topics;

/**
 * Follows every pipeline topic and hands each event, in arrival order, to a printer; the demo waits on it for the
 * outcome of the deployments it asked for.
 */
final class Timeline implements AutoCloseable {

    private final KafkaConsumer<String, Envelope> consumer;
    private final Consumer<Envelope> printer;
    private final List<Envelope> seen = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;

    private Timeline(String bootstrapServers, Consumer<Envelope> printer) {
        Properties props = new Properties();
        props.putAll(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "local-stack-timeline-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"));
        this.consumer = new KafkaConsumer<>(props, new StringDeserializer(), new EnvelopeDeserializer());
        this.printer = printer;
        this.thread = new Thread(this::run, "timeline");
        this.thread.setDaemon(true);
    }

    static Timeline follow(String bootstrapServers, Consumer<Envelope> printer) {
        Timeline timeline = new Timeline(bootstrapServers, printer);
        timeline.consumer.subscribe(Topics.EVENTS);
        timeline.thread.start();
        return timeline;
    }

    /** Waits for the first event that matches, or gives up after {@code timeout}. */
    Optional<Envelope> await(Predicate<Envelope> match, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (seen) {
            while (true) {
                Optional<Envelope> found = seen.stream().filter(match).findFirst();
                long left = deadline - System.nanoTime();
                if (found.isPresent() || left <= 0) {
                    return found;
                }
                seen.wait(Math.max(1, left / 1_000_000));
            }
        }
    }

    private void run() {
        try {
            while (running) {
                try {
                    for (ConsumerRecord<String, Envelope> record : consumer.poll(Duration.ofMillis(500))) {
                        accept(record.value());
                    }
                } catch (RecordDeserializationException e) {
                    consumer.seek(e.topicPartition(), e.offset() + 1);
                }
            }
        } catch (WakeupException e) {
            // closing
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    private void accept(Envelope envelope) {
        printer.accept(envelope);
        synchronized (seen) {
            seen.add(envelope);
            seen.notifyAll();
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        thread.join(5_000);
    }
}
