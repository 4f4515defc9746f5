package dev.bluegreen.pipeline;

import java.time.Duration;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.jspecify.annotations.Nullable;
import org.springframework.kafka.support.LoggingProducerListener;
import org.springframework.kafka.support.ProducerListener;

import dev.bluegreen.events.Envelope;
import dev.bluegreen.events.DeploymentExpired;
import dev.bluegreen.events.EnvironmentProvisioned;
import dev.bluegreen.events.EnvironmentUnhealthy;
import dev.bluegreen.events.PipelineEvent;
import dev.bluegreen.events.ProvisioningFailed;
import dev.bluegreen.events.RolledBack;
import dev.bluegreen.events.SwitchFailed;
import dev.bluegreen.events.TrafficSwitched;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Counts the pipeline's outcomes from the events a service published, once Kafka acknowledged them; each event has
 * one publisher, so each outcome is counted once across the services. A send that fails is logged as Spring Kafka
 * would.
 */
final class PipelineMetrics implements ProducerListener<Object, Object> {

    static final String DEPLOYMENTS = "bluegreen.deployments";
    static final String PROVISIONING_DURATION = "bluegreen.provisioning.duration";
    static final String SWITCH_DURATION = "bluegreen.switch.duration";
    static final String ROLLBACKS = "bluegreen.rollbacks";

    private final MeterRegistry meters;
    private final ProducerListener<Object, Object> failures = new LoggingProducerListener<>();

    PipelineMetrics(MeterRegistry meters) {
        this.meters = meters;
    }

    @Override
    public void onSuccess(ProducerRecord<Object, Object> record, @Nullable RecordMetadata metadata) {
        if (record.value() instanceof Envelope envelope) {
            count(envelope.data());
        }
    }

    @Override
    public void onError(ProducerRecord<Object, Object> record, @Nullable RecordMetadata metadata,
            Exception exception) {
        failures.onError(record, metadata, exception);
    }

    private void count(PipelineEvent event) {
        if (event instanceof EnvironmentProvisioned provisioned) {
            outcome(event, "provisioned");
            timer(PROVISIONING_DURATION, "Time to provision the idle colour", event)
                    .record(Duration.ofMillis(provisioned.durationMs()));
        }
        else if (event instanceof ProvisioningFailed) {
            outcome(event, "provisioning_failed");
        }
        else if (event instanceof EnvironmentUnhealthy) {
            outcome(event, "unhealthy");
        }
        else if (event instanceof TrafficSwitched switched) {
            outcome(event, "switched");
            timer(SWITCH_DURATION, "Time to move traffic to the new colour", event)
                    .record(Duration.ofMillis(switched.durationMs()));
        }
        else if (event instanceof SwitchFailed) {
            outcome(event, "switch_failed");
        }
        else if (event instanceof DeploymentExpired) {
            outcome(event, "expired");
        }
        else if (event instanceof RolledBack) {
            Counter.builder(ROLLBACKS).description("Rollbacks done").tag("app", event.app()).register(meters)
                    .increment();
        }
    }

    private void outcome(PipelineEvent event, String outcome) {
        Counter.builder(DEPLOYMENTS).description("Deployments by the step they reached: its outcome")
                .tag("app", event.app()).tag("outcome", outcome).register(meters).increment();
    }

    private Timer timer(String name, String description, PipelineEvent event) {
        return Timer.builder(name).description(description).tag("app", event.app()).register(meters);
    }
}
