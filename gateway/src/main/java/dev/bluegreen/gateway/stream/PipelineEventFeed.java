package dev.bluegreen.gateway.stream;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.jspecify.annotations.Nullable;
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
import dev.bluegreen.gateway.access.StepOutput;
import dev.bluegreen.gateway.status.DeploymentProjection;

/**
 * Reads the lifecycle topic and the deploy steps' output from the beginning, in a consumer group of this instance's
 * own, so every instance sees every event. Each event updates the {@link DeploymentProjection} and joins a bounded buffer of recent events that
 * a reconnecting subscriber resumes from. The consumer reads the history partition by partition, not in the order
 * the events happened, so while it reads the history the buffer keeps the newest events by record time, and puts them
 * in that order once the history is read: a subscriber that saw them live from another gateway resumes at its place.
 * Events produced since this instance started are also fanned out live to
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
    /** The sequence of each event in {@code recent}, by the envelope's id, for a resume to find its place at once. */
    private final Map<String, Long> held = new HashMap<>();
    private long sequence;
    /** While the history is read: its newest {@code replayBuffer} events by record time; then null. */
    private @Nullable PriorityQueue<Pending> reading = new PriorityQueue<>(Pending.OLDEST_FIRST);
    private long arrivals;
    private final PipelineHistory history;

    PipelineEventFeed(DeploymentProjection projection, StreamProperties settings, Clock clock,
            PipelineHistory history) {
        this.projection = projection;
        this.history = history;
        this.replayBuffer = settings.replayBuffer();
        this.startedAt = clock.millis();
        history.beforeRead(this::historyRead);
    }

    @KafkaListener(id = LISTENER_ID, groupId = "gateway-feed-${random.uuid}",
            topics = {"#{T(dev.bluegreen.events.Topics).LIFECYCLE}",
                "#{T(dev.bluegreen.events.Topics).DEPLOYMENT_LOGS}"},
            properties = "auto.offset.reset=earliest",
            containerPostProcessor = SkipOnReplay.BEAN_NAME)
    void onEvent(ConsumerRecord<String, Envelope> record) {
        Envelope envelope = record.value();
        if (envelope != null) {
            take(envelope, record.timestamp());
        }
        // Only once the record is applied: whoever waits for the history may then rely on it.
        history.read(new TopicPartition(record.topic(), record.partition()), record.offset() + 1);
    }

    private void take(Envelope envelope, long timestamp) {
        projection.apply(envelope);
        FeedEvent event = new FeedEvent(envelope, codec.writeString(envelope));
        boolean live = timestamp >= startedAt;
        synchronized (lock) {
            PriorityQueue<Pending> pending = reading;
            if (pending == null) {
                Sequenced kept = hold(event);
                if (live) {
                    emit(kept);
                }
                return;
            }
            pending.add(new Pending(timestamp, ++arrivals, event));
            if (pending.size() > replayBuffer) {
                pending.poll();
            }
            if (live) {
                // no subscriber resumes before the history is read (nothing is held), so none filters by sequence
                emit(new Sequenced(0, event));
            }
        }
    }

    /** The history is read: its newest events become the held ones, oldest first. On the consumer's thread. */
    private void historyRead() {
        synchronized (lock) {
            PriorityQueue<Pending> pending = reading;
            reading = null;
            if (pending != null) {
                while (!pending.isEmpty()) {
                    hold(pending.poll().event());
                }
            }
        }
    }

    /** Appends the event to the held ones, dropping the oldest past {@code replayBuffer}; called under the lock. */
    private Sequenced hold(FeedEvent event) {
        Sequenced kept = new Sequenced(++sequence, event);
        recent.addLast(kept);
        held.put(event.envelope().id(), kept.sequence());
        if (recent.size() > replayBuffer) {
            Sequenced dropped = recent.removeFirst();
            held.remove(dropped.event().envelope().id(), dropped.sequence());
        }
        return kept;
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
            if (!held.containsKey(lastEventId)) {
                return Optional.empty();
            }
        }
        return Optional.of(Flux.defer(() -> {
            // Live events are taken from before the held ones are copied, and those past the copy's last are passed
            // on after it: the lock is held for the copy alone, never while up to replay-buffer events go out to a
            // subscriber, which would hold up the feed and every other subscriber meanwhile.
            Sinks.Many<Sequenced> live = Sinks.many().unicast().onBackpressureBuffer();
            Disposable taking = sink.asFlux().subscribe(live::tryEmitNext, live::tryEmitError, live::tryEmitComplete);
            List<Sequenced> missed;
            long last;
            synchronized (lock) {
                missed = after(lastEventId);
                last = sequence;
            }
            return Flux.concat(Flux.fromIterable(missed), live.asFlux().filter(event -> event.sequence() > last))
                    .map(Sequenced::event)
                    .doFinally(signal -> taking.dispose());
        }));
    }

    /** Copies the held events after the one with {@code lastEventId}; called under the lock. */
    private List<Sequenced> after(String lastEventId) {
        Long seen = held.get(lastEventId);
        List<Sequenced> missed = new ArrayList<>();
        if (seen == null) {
            return missed;
        }
        for (Sequenced event : recent) {
            if (event.sequence() > seen) {
                missed.add(event);
            }
        }
        return missed;
    }

    private record Sequenced(long sequence, FeedEvent event) {
    }

    /** An event of the history as it is read, by record time and then by the order it was read in. */
    private record Pending(long timestamp, long arrival, FeedEvent event) {

        static final Comparator<Pending> OLDEST_FIRST = Comparator.comparingLong(Pending::timestamp)
                .thenComparingLong(Pending::arrival);
    }

    /**
     * An event with its JSON, written once however many subscribers it goes to; and, the first time a reader without
     * step output asks, its JSON without it.
     */
    static final class FeedEvent {

        private static final EnvelopeCodec CODEC = new EnvelopeCodec();

        private final Envelope envelope;
        private final String json;
        private volatile @Nullable Optional<String> withoutOutput;

        FeedEvent(Envelope envelope, String json) {
            this.envelope = envelope;
            this.json = json;
        }

        Envelope envelope() {
            return envelope;
        }

        String json() {
            return json;
        }

        /** The JSON for a reader without step output; empty when the event is all output (DeploymentLog). */
        Optional<String> jsonWithoutOutput() {
            Optional<String> shown = withoutOutput;
            if (shown == null) {
                // computed at most a few times over, should subscribers race: the same JSON each time
                shown = StepOutput.hiddenIn(envelope)
                        .map(hidden -> hidden == envelope ? json : CODEC.writeString(hidden));
                withoutOutput = shown;
            }
            return shown;
        }
    }
}
