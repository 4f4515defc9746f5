package dev.bluegreen.router.routing;

import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

import dev.bluegreen.events.Envelope;
import dev.bluegreen.events.PipelineEvent;
import dev.bluegreen.router.TrafficRouterApplication;
import reactor.core.publisher.Mono;

/** Publishes what became of a switch or a rollback, keyed by app, in the deployment it belongs to. */
@Component
class TrafficEvents {

    private final KafkaTemplate<String, Envelope> kafka;

    TrafficEvents(KafkaTemplate<String, Envelope> kafka) {
        this.kafka = kafka;
    }

    Mono<Void> publish(String deploymentId, PipelineEvent event) {
        Envelope envelope = Envelope.of(TrafficRouterApplication.NAME, deploymentId, event);
        return Mono.fromFuture(() -> kafka.send(envelope.topic(), event.app(), envelope)).then();
    }
}
