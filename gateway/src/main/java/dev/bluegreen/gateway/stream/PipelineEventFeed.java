package dev.bluegreen.gateway.stream;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

import dev.bluegreen.events.Envelope;

/**
 * Every pipeline event this gateway instance sees, from the moment it started, fanned out to all current
 * subscribers. Each instance reads all topics in a consumer group of its own from the latest offset, so every
 * instance sees every event and none replays history. A subscriber without demand misses events; it never holds
 * up the listener.
 */
@Component
class PipelineEventFeed {

    static final String LISTENER_ID = "gateway-stream";

    private static final Logger log = LoggerFactory.getLogger(PipelineEventFeed.class);

    private final Sinks.Many<Envelope> sink = Sinks.many().multicast().directBestEffort();

    @KafkaListener(id = LISTENER_ID, groupId = "gateway-stream-${random.uuid}",
            topics = "#{T(dev.bluegreen.events.Topics).ALL}", properties = "auto.offset.reset=latest")
    void onEvent(ConsumerRecord<String, Envelope> record) {
        Envelope envelope = record.value();
        if (envelope == null) {
            return;
        }
        Sinks.EmitResult result = sink.tryEmitNext(envelope);
        if (result.isFailure() && result != Sinks.EmitResult.FAIL_ZERO_SUBSCRIBER) {
            log.warn("The event stream could not pass on {} of {} (deployment {}): {}.", envelope.type(),
                    envelope.subject(), envelope.deploymentId(), result);
        }
    }

    /** The events from now on; the flux never completes while the gateway runs. */
    Flux<Envelope> events() {
        return sink.asFlux();
    }
}
