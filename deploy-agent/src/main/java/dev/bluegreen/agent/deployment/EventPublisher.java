package dev.bluegreen.agent.deployment;

import java.util.concurrent.CompletableFuture;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

import dev.bluegreen.events.Envelope;

/** Publishes the agent's events to their topics, keyed by app so one app's events stay in order. */
@Component
class EventPublisher implements Publisher {

    private static final Logger log = LoggerFactory.getLogger(EventPublisher.class);

    private final KafkaTemplate<String, Envelope> kafka;

    EventPublisher(KafkaTemplate<String, Envelope> kafka) {
        this.kafka = kafka;
    }

    @Override
    public CompletableFuture<?> publish(Envelope envelope) {
        return kafka.send(envelope.topic(), envelope.subject(), envelope).whenComplete((sent, ex) -> {
            if (ex != null) {
                log.error("Could not publish {} of {} for deployment {}: {}", envelope.type(), envelope.subject(),
                        envelope.deploymentId(), ex.getMessage());
            }
        });
    }
}
