package dev.bluegreen.router.routing;

import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

import dev.bluegreen.events.Envelope;
import dev.bluegreen.events.PipelineEvent;
import dev.bluegreen.router.TrafficRouterApplication;
import reactor.core.publisher.Mono;

/**
 * Publishes what became of a switch or a rollback, keyed by app, in the deployment it belongs to, and notes it in
 * the {@link SwitchLedger} once Kafka has it.
 */
@Component
class TrafficEvents {

    private final KafkaTemplate<String, Envelope> kafka;
    private final SwitchLedger ledger;

    TrafficEvents(KafkaTemplate<String, Envelope> kafka, SwitchLedger ledger) {
        this.kafka = kafka;
        this.ledger = ledger;
    }

    Mono<Void> publish(String deploymentId, PipelineEvent event) {
        // the envelope is made when the event is sent, so its time says when it was published
        return Mono.defer(() -> {
            Envelope envelope = Envelope.of(TrafficRouterApplication.NAME, deploymentId, event);
            return Mono.fromFuture(() -> kafka.send(envelope.topic(), event.app(), envelope))
                    .doOnSuccess(sent -> ledger.recorded(envelope));
        }).then();
    }
}
