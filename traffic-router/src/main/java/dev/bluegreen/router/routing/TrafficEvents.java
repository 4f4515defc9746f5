package dev.bluegreen.router.routing;

import java.util.List;

import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

import dev.bluegreen.events.Envelope;
import dev.bluegreen.events.PipelineEvent;
import dev.bluegreen.router.TrafficRouterApplication;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Publishes what the router did or decided to the app's lifecycle, keyed by app, in the deployment it belongs to. */
@Component
class TrafficEvents {

    private final KafkaTemplate<String, Envelope> kafka;

    TrafficEvents(KafkaTemplate<String, Envelope> kafka) {
        this.kafka = kafka;
    }

    Mono<Void> publish(String deploymentId, PipelineEvent event) {
        // the envelope is made when the event is sent, so its time says when it was published
        return Mono.defer(() -> {
            Envelope envelope = Envelope.of(TrafficRouterApplication.NAME, deploymentId, event);
            return Mono.fromFuture(() -> kafka.send(envelope.topic(), event.app(), envelope));
        }).then();
    }

    /** One after the other, each once Kafka has the one before: the fold must see them in this order. */
    Mono<Void> publishAll(String deploymentId, List<PipelineEvent> events) {
        return Flux.fromIterable(events).concatMap(event -> publish(deploymentId, event)).then();
    }
}
