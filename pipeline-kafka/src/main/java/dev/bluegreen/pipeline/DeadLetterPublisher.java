package dev.bluegreen.pipeline;

import java.util.Map;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;

import io.micrometer.core.instrument.MeterRegistry;

/**
 * The producer that writes dead letters: the service's own producer settings (security included), with serializers
 * that keep a record's original bytes.
 */
final class DeadLetterPublisher implements DisposableBean {

    private final DefaultKafkaProducerFactory<Object, Object> producers;
    private final DeadLetters recoverer;

    DeadLetterPublisher(Map<String, Object> producerSettings, MeterRegistry meters) {
        this.producers = new DefaultKafkaProducerFactory<>(producerSettings, new DeadLetterSerializer(),
                new DeadLetterSerializer());
        this.recoverer = new DeadLetters(new KafkaTemplate<>(producers), meters);
    }

    DeadLetters recoverer() {
        return recoverer;
    }

    /** The settings the dead-letter producer connects with. */
    Map<String, Object> settings() {
        return producers.getConfigurationProperties();
    }

    @Override
    public void destroy() {
        producers.destroy();
    }
}
