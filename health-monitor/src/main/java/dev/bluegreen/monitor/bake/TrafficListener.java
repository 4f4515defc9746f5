package dev.bluegreen.monitor.bake;

import java.util.Map;

import org.apache.kafka.common.TopicPartition;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.listener.ConsumerSeekAware;
import org.springframework.stereotype.Component;

import dev.bluegreen.events.Envelope;
import dev.bluegreen.events.RollbackRequested;
import dev.bluegreen.events.RolledBack;
import dev.bluegreen.events.Topics;
import dev.bluegreen.events.TrafficSwitched;
import dev.bluegreen.pipeline.SkippedRecords;

/**
 * Starts a bake watch on every colour traffic moves to, and ends it when traffic moves again or a rollback is asked
 * for. Returns at once: the watch runs on its own.
 * <p>
 * Both topics are read from the beginning on every start, so a watch cut short by a restart resumes for what is left
 * of its bake period; switches whose period is over start nothing, and a switch seen again is recognised.
 */
@Component
class TrafficListener implements ConsumerSeekAware {

    private final BakeWatches watches;

    TrafficListener(BakeWatches watches) {
        this.watches = watches;
    }

    // it reads its topics again on every start: a record it cannot handle was dead-lettered by the groups that read
    // each record once (the traffic-router's, the gateway's notifier), so here it is only logged and skipped
    @KafkaListener(id = "health-monitor.traffic", topics = {Topics.TRAFFIC, Topics.ROLLBACK_REQUESTS},
            containerPostProcessor = SkippedRecords.ON_REPLAY)
    void on(Envelope envelope) {
        if (envelope.data() instanceof TrafficSwitched switched) {
            watches.start(envelope.deploymentId(), envelope.time(), switched);
        } else if (envelope.data() instanceof RolledBack rolledBack) {
            watches.end(rolledBack.app(), envelope.time(), "traffic rolled back to " + rolledBack.to()
                    + " in deployment " + envelope.deploymentId());
        } else if (envelope.data() instanceof RollbackRequested requested) {
            watches.end(requested.app(), envelope.time(), requested.requestedBy() + " asked for a rollback in "
                    + "deployment " + envelope.deploymentId());
        }
    }

    @Override
    public void onPartitionsAssigned(Map<TopicPartition, Long> assignments, ConsumerSeekCallback callback) {
        callback.seekToBeginning(assignments.keySet());
    }
}
