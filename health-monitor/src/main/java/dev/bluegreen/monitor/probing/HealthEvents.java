package dev.bluegreen.monitor.probing;

import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

import dev.bluegreen.events.Envelope;
import dev.bluegreen.events.PipelineEvent;
import dev.bluegreen.monitor.HealthMonitorApplication;
import reactor.core.publisher.Mono;

/** Publishes the health-monitor's verdicts and rollback requests, keyed by app, in the deployment they belong to. */
@Component
public class HealthEvents {

    private final KafkaTemplate<String, Envelope> kafka;

    HealthEvents(KafkaTemplate<String, Envelope> kafka) {
        this.kafka = kafka;
    }

    public Mono<Void> publish(String deploymentId, PipelineEvent event) {
        Envelope envelope = Envelope.of(HealthMonitorApplication.NAME, deploymentId, event);
        return Mono.fromFuture(() -> kafka.send(envelope.topic(), event.app(), envelope)).then();
    }
}
