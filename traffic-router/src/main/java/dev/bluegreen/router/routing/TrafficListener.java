package dev.bluegreen.router.routing;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

import dev.bluegreen.events.Envelope;
import dev.bluegreen.events.EnvironmentHealthy;
import dev.bluegreen.events.PipelineEvent;
import dev.bluegreen.events.RollbackRequested;
import dev.bluegreen.events.RolledBack;
import dev.bluegreen.events.SwitchFailed;
import dev.bluegreen.events.Topics;
import dev.bluegreen.events.TrafficSwitched;
import reactor.core.publisher.Mono;

/**
 * Moves traffic when a colour turns out healthy, and back when someone asks for a rollback. The move runs on its
 * own; the listener returns at once.
 */
@Component
class TrafficListener {

    private static final Logger log = LoggerFactory.getLogger(TrafficListener.class);

    private final TrafficSwitcher switcher;
    private final TrafficEvents events;

    TrafficListener(TrafficSwitcher switcher, TrafficEvents events) {
        this.switcher = switcher;
        this.events = events;
    }

    @KafkaListener(id = "traffic-router.health", topics = Topics.HEALTH)
    void onHealth(Envelope envelope) {
        if (envelope.data() instanceof EnvironmentHealthy healthy) {
            log.info("Switching {}'s traffic to {} for deployment {}.", healthy.app(), healthy.colour(),
                    envelope.deploymentId());
            publishOutcome(envelope, switcher.switchTo(healthy.app(), healthy.colour()));
        }
    }

    @KafkaListener(id = "traffic-router.rollback-requests", topics = Topics.ROLLBACK_REQUESTS)
    void onRollbackRequest(Envelope envelope) {
        if (envelope.data() instanceof RollbackRequested rollback) {
            log.info("Rolling back {} for deployment {}, as {} asked: {}.", rollback.app(), envelope.deploymentId(),
                    rollback.requestedBy(), rollback.reason());
            publishOutcome(envelope, switcher.rollBack(rollback.app()));
        }
    }

    private void publishOutcome(Envelope cause, Mono<PipelineEvent> move) {
        String deploymentId = cause.deploymentId();
        move.flatMap(outcome -> events.publish(deploymentId, outcome).thenReturn(outcome))
                .subscribe(outcome -> logOutcome(outcome, deploymentId),
                        error -> log.error("Moving {}'s traffic for deployment {} ended without an outcome.",
                                cause.subject(), deploymentId, error));
    }

    private static void logOutcome(PipelineEvent outcome, String deploymentId) {
        if (outcome instanceof TrafficSwitched switched && switched.from() == switched.to()) {
            log.info("{}'s traffic already went to {} for deployment {}; nothing changed.", switched.app(),
                    switched.to(), deploymentId);
        } else if (outcome instanceof TrafficSwitched switched) {
            log.info("{}'s traffic moved from {} to {} (droplets {}) for deployment {} in {} ms.", switched.app(),
                    switched.from(), switched.to(), switched.dropletIds(), deploymentId, switched.durationMs());
        } else if (outcome instanceof RolledBack rolledBack) {
            log.info("{}'s traffic rolled back from {} to {} (droplets {}) for deployment {} in {} ms.",
                    rolledBack.app(), rolledBack.from(), rolledBack.to(), rolledBack.dropletIds(), deploymentId,
                    rolledBack.durationMs());
        } else if (outcome instanceof SwitchFailed failed) {
            log.warn("{}'s traffic did not move for deployment {}: {}", failed.app(), deploymentId, failed.reason());
        }
    }
}
