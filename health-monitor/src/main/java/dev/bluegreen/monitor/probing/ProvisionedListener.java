package dev.bluegreen.monitor.probing;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

import dev.bluegreen.events.Envelope;
import dev.bluegreen.events.EnvironmentHealthy;
import dev.bluegreen.events.EnvironmentProvisioned;
import dev.bluegreen.events.EnvironmentUnhealthy;
import dev.bluegreen.events.PipelineEvent;
import dev.bluegreen.events.Topics;
import dev.bluegreen.pipeline.DeploymentLogContext;
import reactor.core.publisher.Sinks;

/**
 * Starts a health check for every colour the deploy-agent provisioned. The check runs on its own; the listener
 * returns at once, so a slow droplet never holds up the consumer.
 */
@Component
class ProvisionedListener {

    private static final Logger log = LoggerFactory.getLogger(ProvisionedListener.class);

    private final EnvironmentCheck environmentCheck;
    private final HealthEvents events;
    private final Sinks.One<Boolean> stopping = Sinks.one();

    ProvisionedListener(EnvironmentCheck environmentCheck, HealthEvents events) {
        this.environmentCheck = environmentCheck;
        this.events = events;
    }

    @KafkaListener(id = "health-monitor.provisioning", topics = Topics.PROVISIONING)
    void on(Envelope envelope) {
        if (!(envelope.data() instanceof EnvironmentProvisioned provisioned)) {
            return;
        }
        String deploymentId = envelope.deploymentId();
        log.info("Checking the health of {}'s {} droplets for deployment {}.", provisioned.app(),
                provisioned.colour(), deploymentId);
        environmentCheck.check(provisioned)
                .flatMap(verdict -> events.publish(deploymentId, verdict).thenReturn(verdict))
                .takeUntilOther(stopping.asMono())
                .doOnNext(verdict -> logVerdict(verdict, deploymentId))
                .doOnError(error -> log.error("The health check of {}'s {} droplets for deployment {} ended without a "
                        + "verdict.", provisioned.app(), provisioned.colour(), deploymentId, error))
                .onErrorComplete()
                // the steps above log on WebClient and scheduler threads, where the listener's MDC is not
                .contextWrite(DeploymentLogContext.of(deploymentId))
                .subscribe();
    }

    /** Stops the checks before the HTTP client goes away, so that none ends in a verdict the shutdown caused. */
    @EventListener(ContextClosedEvent.class)
    void stopChecks() {
        stopping.tryEmitValue(true);
    }

    private static void logVerdict(PipelineEvent verdict, String deploymentId) {
        if (verdict instanceof EnvironmentHealthy healthy) {
            log.info("{}'s {} droplets are healthy for deployment {}: all passed in {} ms.", healthy.app(),
                    healthy.colour(), deploymentId, healthy.durationMs());
        } else if (verdict instanceof EnvironmentUnhealthy unhealthy) {
            log.warn("{}'s {} droplets are unhealthy for deployment {}: {}.", unhealthy.app(), unhealthy.colour(),
                    deploymentId, unhealthy.reason());
        }
    }
}
