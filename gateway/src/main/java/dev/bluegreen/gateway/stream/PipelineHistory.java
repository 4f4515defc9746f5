package dev.bluegreen.gateway.stream;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.stereotype.Component;

import dev.bluegreen.gateway.status.DeploymentProjection;

/**
 * How far the feed has read the pipeline's history: per partition, the offset up to which it held records when it
 * was assigned, and whether the feed got there. Once it has on every partition, the {@link DeploymentProjection}'s
 * history is read. A record the feed skipped counts as read, or a history that ends in one would never be read to its end.
 * What must be in place before anyone relies on the history (the feed's replay buffer) registers with
 * {@link #beforeRead}.
 */
@Component
class PipelineHistory {

    private static final Logger log = LoggerFactory.getLogger(PipelineHistory.class);

    private final DeploymentProjection projection;
    private final KafkaAdmin admin;
    private final Map<TopicPartition, Long> historyEnds = new ConcurrentHashMap<>();
    private final List<Runnable> beforeRead = new CopyOnWriteArrayList<>();

    PipelineHistory(DeploymentProjection projection, KafkaAdmin admin) {
        this.projection = projection;
        this.admin = admin;
    }

    /** Runs {@code action} on the consumer's thread once the history is read, before anyone is told it is. */
    void beforeRead(Runnable action) {
        beforeRead.add(action);
    }

    /** Notes where each assigned partition's history ends. Runs on the consumer's thread before its first records. */
    void assigned(Map<TopicPartition, Long> assignments) {
        if (projection.isHistoryRead()) {
            return;
        }
        Map<TopicPartition, Long> ends = new HashMap<>();
        try (Admin client = Admin.create(admin.getConfigurationProperties())) {
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            assignments.keySet().forEach(partition -> latest.put(partition, OffsetSpec.latest()));
            client.listOffsets(latest).all().get(10, TimeUnit.SECONDS)
                    .forEach((partition, end) -> ends.put(partition, end.offset()));
        } catch (Exception e) {
            log.warn("The gateway could not learn where the pipeline's history ends ({}); it counts as read.",
                    e.toString());
        }
        expect(assignments, ends);
    }

    /** The history to read: of each partition, the records from its assigned offset to its end. */
    void expect(Map<TopicPartition, Long> assignments, Map<TopicPartition, Long> ends) {
        ends.forEach((partition, end) -> {
            if (end > assignments.getOrDefault(partition, 0L)) {
                historyEnds.put(partition, end);
            }
        });
        if (historyEnds.isEmpty()) {
            caughtUp();
        }
    }

    /** The feed is done with the records of {@code partition} before offset {@code next}, applied or skipped. */
    void read(TopicPartition partition, long next) {
        Long end = historyEnds.get(partition);
        if (end != null && next >= end && historyEnds.remove(partition) != null && historyEnds.isEmpty()) {
            caughtUp();
        }
    }

    private void caughtUp() {
        if (!projection.isHistoryRead()) {
            beforeRead.forEach(Runnable::run);
            log.info("The gateway has read the pipeline's history; deployments and webhooks are up to date.");
            projection.historyRead();
        }
    }
}
