package dev.bluegreen.gateway.deployment;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import dev.bluegreen.events.Envelope;

/** Puts a request's envelope on its topic, keyed by the app, and completes once Kafka acknowledged it. */
@Component
public class RequestPublisher {

    private static final Logger log = LoggerFactory.getLogger(RequestPublisher.class);

    private final KafkaTemplate<String, Envelope> kafka;

    RequestPublisher(KafkaTemplate<String, Envelope> kafka) {
        this.kafka = kafka;
    }

    /**
     * @param request what is asked, for the answer when Kafka fails, such as {@code "deploy request"}
     * @return the envelope once acknowledged, or an {@link EventBusUnavailableException} when Kafka did not confirm it
     */
    public Mono<Envelope> publish(Envelope envelope, String request) {
        // send() may wait up to max.block.ms for topic metadata: never on an event-loop thread. The ack arrives on
        // the producer's network thread, which must not carry on with the request.
        return Mono.fromFuture(() -> kafka.send(envelope.topic(), envelope.subject(), envelope))
                .subscribeOn(Schedulers.boundedElastic())
                .publishOn(Schedulers.parallel())
                .thenReturn(envelope)
                .onErrorMap(failure -> unavailable(envelope, request, failure));
    }

    private static EventBusUnavailableException unavailable(Envelope envelope, String request, Throwable failure) {
        log.warn("Kafka did not acknowledge {} of {} (deployment {}): {}", envelope.type(), envelope.subject(),
                envelope.deploymentId(), NestedExceptionUtils.getMostSpecificCause(failure).toString());
        return new EventBusUnavailableException("Kafka did not confirm the " + request + " for '" + envelope.subject()
                + "'; try again shortly", failure);
    }
}
