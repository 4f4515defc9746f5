package dev.bluegreen.pipeline;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.config.ContainerPostProcessor;
import org.springframework.kafka.listener.AbstractMessageListenerContainer;

import dev.bluegreen.events.Envelope;
import dev.bluegreen.events.Topics;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * A service with one listener of the kind that replays its topics, whose container alone gets the
 * {@link SkippedRecords} handler, the way the gateway's event feed does.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
class ReplayingService {

    static final String LISTENER_ID = "replaying-test";
    static final String SKIP_ON_REPLAY = "skipOnReplay";

    @Bean
    Replayer replayer() {
        return new Replayer();
    }

    @Bean
    Skipped skipped() {
        return new Skipped();
    }

    @Bean(SKIP_ON_REPLAY)
    ContainerPostProcessor<Object, Object, AbstractMessageListenerContainer<Object, Object>> skipOnReplay(
            MeterRegistry meters, Skipped skipped) {
        return container -> container.setCommonErrorHandler(SkippedRecords.errorHandler(meters,
                skipped.records::add));
    }

    /** The records the handler reported skipped. */
    static class Skipped {

        final List<ConsumerRecord<?, ?>> records = new CopyOnWriteArrayList<>();
    }

    static class Replayer {

        final List<Envelope> seen = new CopyOnWriteArrayList<>();
        final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();

        @KafkaListener(id = LISTENER_ID, idIsGroup = false, topics = Topics.LIFECYCLE,
                containerPostProcessor = SKIP_ON_REPLAY)
        void onEvent(Envelope envelope) {
            attempts.computeIfAbsent(envelope.id(), id -> new AtomicInteger()).incrementAndGet();
            if (envelope.subject().equals(TestService.FAILING_APP)) {
                throw new IllegalStateException("the replaying listener fails on every event of "
                        + TestService.FAILING_APP);
            }
            seen.add(envelope);
        }

        boolean saw(Envelope envelope) {
            return seen.stream().anyMatch(seen -> seen.id().equals(envelope.id()));
        }
    }
}
