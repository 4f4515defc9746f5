package dev.bluegreen.gateway.stream;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.listener.ConsumerSeekAware;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

import dev.bluegreen.events.Envelope;
import dev.bluegreen.events.EnvelopeCodec;
import dev.bluegreen.gateway.status.DeploymentProjection;

/**
 * Reads the lifecycle topic and the deploy steps' output from the beginning, in a consumer group of this instance's
 * own, so every instance sees every event. Each event updates the {@link DeploymentProjection} and joins a bounded buffer of recent events that
 * a reconnecting subscriber resumes from. Events produced since this instance started are also fanned out live to
 * all current subscribers; older ones are history and are not. A subscriber without demand misses events; it never
 * holds up the listener. A record that is not an event is logged and skipped ({@link SkipOnReplay}), not
 * dead-lettered again on every start.
 */
@Component
class PipelineEventFeed implements ConsumerSeekAware {

    static final String LISTENER_ID = "gateway-feed";

    private static final Logger log = LoggerFactory.getLogger(PipelineEventFeed.class);

    private final Sinks.Many<Sequenced> sink = Sinks.many().multicast().directBestEffort();
    private final DeploymentProjection projection;
    private final int replayBuffer;
    private final long startedAt;
    private final Object lock = new Object();
    private final EnvelopeCodec codec = new EnvelopeCodec();
    private final ArrayDeque<Sequenced> recent = new ArrayDeque<>();
    private long sequence;
    private final PipelineHistory history;

    PipelineEventFeed(DeploymentProjection projection, StreamProperties settings, Clock clock,
            PipelineHistory history) {
        this.projection = projection;
        this.history = history;
        this.replayBuffer = settings.replayBuffer();
        this.startedAt = clock.millis();
    }

    @KafkaListener(id = LISTENER_ID, groupId = "gateway-feed-${random.uuid}",
            topics = {"#{T(dev.bluegreen.events.Topics).LIFECYCLE}",
                "#{T(dev.bluegreen.events.Topics).DEPLOYMENT_LOGS}"},
            properties = "auto.offset.reset=earliest",
            containerPostProcessor = SkipOnReplay.BEAN_NAME)
    void onEvent(ConsumerRecord<String, Envelope> record) {
        Envelope envelope = record.value();
        if (envelope != null) {
            take(envelope, record.timestamp() >= startedAt);
        }
        // Only once the record is applied: whoever waits for the history may then rely on it.
        history.read(new TopicPartition(record.topic(), record.partition()), record.offset() + 1);
    }

    private void take(Envelope envelope, boolean live) {
        projection.apply(envelope);
        synchronized (lock) {
            Sequenced event = new Sequenced(++sequence, new FeedEvent(envelope, codec.writeString(envelope)));
            recent.addLast(event);
            if (recent.size() > replayBuffer) {
                recent.removeFirst();
            }
            if (live) {
                emit(event);
            }
        }
    }

    /** Runs on the consumer's thread before the first records of the assignment. */
    @Override
    public void onPartitionsAssigned(Map<TopicPartition, Long> assignments, ConsumerSeekCallback callback) {
        history.assigned(assignments);
    }

    private void emit(Sequenced event) {
        Sinks.EmitResult result = sink.tryEmitNext(event);
        if (result.isFailure() && result != Sinks.EmitResult.FAIL_ZERO_SUBSCRIBER) {
            Envelope envelope = event.event().envelope();
            log.warn("The event stream could not pass on {} of {} (deployment {}): {}.", envelope.type(),
                    envelope.subject(), envelope.deploymentId(), result);
        }
    }

    /** The events from now on; the flux never completes while the gateway runs. */
    Flux<FeedEvent> events() {
        return sink.asFlux().map(Sequenced::event);
    }

    /**
     * The held events after the one with {@code lastEventId}, then the events from now on, with neither gap nor
     * repeat; empty when that event is no longer (or never was) held.
     */
    Optional<Flux<FeedEvent>> eventsAfter(String lastEventId) {
        synchronized (lock) {
            if (recent.stream().noneMatch(event -> event.event().envelope().id().equals(lastEventId))) {
                return Optional.empty();
            }
        }
        return Optional.of(Flux.create(out -> {
            // Under the lock no event is added: the live subscription starts exactly where the snapshot ends.
            synchronized (lock) {
                List<Sequenced> missed = after(lastEventId);
                long seen = missed.isEmpty() ? sequence : missed.get(missed.size() - 1).sequence();
                Disposable live = sink.asFlux().filter(event -> event.sequence() > seen)
                        .subscribe(event -> out.next(event.event()), out::error, out::complete);
                out.onDispose(live);
                missed.forEach(event -> out.next(event.event()));
            }
        }));
    }

    private List<Sequenced> after(String lastEventId) {
        List<Sequenced> missed = new ArrayList<>();
        boolean found = false;
        for (Sequenced event : recent) {
            if (found) {
                missed.add(event);
            } else if (event.event().envelope().id().equals(lastEventId)) {
                found = true;
            }
        }
        return missed;
    }

    private record Sequenced(long sequence, FeedEvent event) {
    }

    /** An event with its JSON, written once however many subscribers it goes to. */
    record FeedEvent(Envelope envelope, String json) {
    }
}
