package dev.bluegreen.agent.deployment;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.stereotype.Component;

import dev.bluegreen.agent.traffic.TrafficTopic;
import dev.bluegreen.events.DeployRequested;
import dev.bluegreen.events.Envelope;
import dev.bluegreen.events.ProvisioningFailed;
import dev.bluegreen.events.Topics;

/**
 * On start, before the first deploy request is read: catches up with the agent's own events, marks every deployment
 * that started and never ended (the agent stopped during it) as failed, and every request it had taken on but not
 * started (it waited for a free slot) too, and only then starts reading deploy requests, so that a request that was
 * already taken on is not run again and none is silently lost.
 */
@Component
class Recovery implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(Recovery.class);

    private static final Duration RETRY = Duration.ofSeconds(5);

    private static final Duration READ_TIMEOUT = Duration.ofMinutes(2);

    private final DeploymentHistory history;

    private final TrafficTopic topics;

    private final Publisher events;

    private final Deployments deployments;

    private final KafkaListenerEndpointRegistry listeners;

    private final ConsumerFactory<?, ?> consumers;

    private final String groupId;

    private final Thread recovering = new Thread(this::recover, "deploy-agent-recovery");

    Recovery(DeploymentHistory history, TrafficTopic topics, EventPublisher events, Deployments deployments,
            KafkaListenerEndpointRegistry listeners, ConsumerFactory<?, ?> consumers,
            @Value("${spring.kafka.consumer.group-id}") String groupId) {
        this.consumers = consumers;
        this.groupId = groupId;
        this.history = history;
        this.topics = topics;
        this.events = events;
        this.deployments = deployments;
        this.listeners = listeners;
        recovering.setDaemon(true);
    }

    @EventListener(ApplicationReadyEvent.class)
    void start() {
        recovering.start();
    }

    private void recover() {
        try {
            while (!caughtUp()) {
                log.warn("The deploy-agent has not yet read its earlier deployments from Kafka; it tries again in {}s "
                        + "and reads no deploy request until then.", RETRY.toSeconds());
                TimeUnit.MILLISECONDS.sleep(RETRY.toMillis());
            }
            for (DeploymentHistory.Unfinished unfinished : history.unfinished()) {
                markFailed(unfinished);
            }
            for (DeploymentHistory.Unstarted unstarted : history.unstarted()) {
                markNotStarted(unstarted);
            }
            deployments.alreadyTaken(history.known());
            Objects.requireNonNull(listeners.getListenerContainer(DeployRequestListener.ID)).start();
            log.info("The deploy-agent read its earlier deployments and now takes deploy requests.");
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Reads the agent's own topics from their beginnings to where they end now, and the deploy requests up to where
     * the agent's group had consumed them, with a consumer of its own that is assigned the partitions (no group to
     * join, no offsets committed).
     */
    private boolean caughtUp() throws InterruptedException {
        Map<TopicPartition, Long> ends;
        try {
            ends = new HashMap<>(topics.endsOf(Topics.PROVISIONING));
            ends.putAll(topics.endsOf(Topics.DEPLOYMENT_LOGS));
            ends.putAll(takenOn());
        }
        catch (ExecutionException | TimeoutException | KafkaException ex) {
            return false;
        }
        if (ends.isEmpty()) {
            return true;
        }
        Properties noCommits = new Properties();
        noCommits.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        noCommits.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000");
        long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
        try (Consumer<?, ?> consumer = consumers.createConsumer(null, "deploy-agent-history", null, noCommits)) {
            consumer.assign(ends.keySet());
            consumer.seekToBeginning(ends.keySet());
            while (!ends.entrySet().stream().allMatch(end -> consumer.position(end.getKey()) >= end.getValue())) {
                if (System.nanoTime() > deadline || Thread.currentThread().isInterrupted()) {
                    return false;
                }
                for (ConsumerRecord<?, ?> record : consumer.poll(Duration.ofMillis(500))) {
                    if (!(record.value() instanceof Envelope envelope)) {
                        continue;
                    }
                    if (!record.topic().equals(Topics.DEPLOY_REQUESTS)) {
                        history.learn(envelope.deploymentId(), envelope.data());
                    }
                    else if (record.offset() < ends.get(new TopicPartition(record.topic(), record.partition()))
                            && envelope.data() instanceof DeployRequested request) {
                        history.requested(envelope.deploymentId(), request);
                    }
                }
            }
            return true;
        }
        catch (KafkaException ex) {
            log.warn("Reading the earlier deployments failed: {}", ex.getMessage());
            return false;
        }
    }

    /**
     * How far the agent's group had consumed each partition of the deploy requests: the requests before that were
     * taken on, and the listener will not see them again.
     */
    private Map<TopicPartition, Long> takenOn() throws ExecutionException, TimeoutException, InterruptedException {
        Set<TopicPartition> partitions = topics.endsOf(Topics.DEPLOY_REQUESTS).keySet();
        if (partitions.isEmpty()) {
            return Map.of();
        }
        Properties noCommits = new Properties();
        noCommits.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        Map<TopicPartition, Long> taken = new HashMap<>();
        try (Consumer<?, ?> consumer = consumers.createConsumer(groupId, "deploy-agent-taken-on", null, noCommits)) {
            consumer.committed(partitions, Duration.ofSeconds(10)).forEach((partition, committed) -> {
                if (committed != null && committed.offset() > 0) {
                    taken.put(partition, committed.offset());
                }
            });
        }
        return taken;
    }

    private void markNotStarted(DeploymentHistory.Unstarted unstarted) throws InterruptedException {
        DeployRequested request = unstarted.request();
        String reason = "The deploy-agent stopped after it took this deploy request on and before the deployment "
                + "started; nothing was deployed. Deploy again.";
        log.warn("Deployment {} of {} never started: {}", unstarted.deploymentId(), request.app(), reason);
        try {
            events.publish(unstarted.deploymentId(), new ProvisioningFailed(request.app(), null, request.ref(), reason,
                    null, null, null, null)).get(10, TimeUnit.SECONDS);
            history.ended(unstarted.deploymentId());
        }
        catch (ExecutionException | TimeoutException ex) {
            log.error("Could not mark deployment {} of {} as failed: {}", unstarted.deploymentId(), request.app(),
                    ex.getMessage());
        }
    }

    private void markFailed(DeploymentHistory.Unfinished unfinished) throws InterruptedException {
        var started = unfinished.started();
        String where = unfinished.lastStep() == null ? ""
                : " (at step '" + unfinished.lastStep() + "' on droplet " + unfinished.lastDroplet() + ")";
        String reason = "The deploy-agent stopped during this deployment" + where + "; the idle colour "
                + started.colour() + " may be half-provisioned and was not switched to. Deploy again.";
        log.warn("Deployment {} of {} never ended: {}", unfinished.deploymentId(), started.app(), reason);
        try {
            events.publish(unfinished.deploymentId(), new ProvisioningFailed(started.app(), started.colour(),
                    started.ref(), reason, unfinished.lastDroplet(), unfinished.lastStep(), null, null))
                    .get(10, TimeUnit.SECONDS);
            history.ended(unfinished.deploymentId());
        }
        catch (ExecutionException | TimeoutException ex) {
            log.error("Could not mark deployment {} of {} as failed: {}", unfinished.deploymentId(), started.app(),
                    ex.getMessage());
        }
    }

    @Override
    public void destroy() {
        recovering.interrupt();
    }
}
